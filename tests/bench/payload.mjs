// Bytes: what the content script loads (wasm path and JS-fallback path), and the popup; and, when
// the size budget fails, where the wasm's bytes go (twiggy over a build that keeps its names).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const CRATE = 'reauth_guide';

function measure(dir, files) {
  let raw = 0;
  let gz = 0;
  const parts = {};
  for (const f of files) {
    const bytes = readFileSync(join(dir, f));
    const g = gzipSync(bytes, { level: 9 }).length;
    parts[f] = { raw: bytes.length, gzip: g };
    raw += bytes.length;
    gz += g;
  }
  return { raw, gzip: gz, parts };
}

const POPUP_PAGE = ['popup.html', 'popup.js', 'popup.css'];

function popupEngine(dist) {
  if (existsSync(join(dist, 'popup'))) return readdirSync(join(dist, 'popup')).filter((f) => /\.(js|wasm)$/.test(f)).map((f) => `popup/${f}`);
  return [`engine/${CRATE}_glue.js`, `engine/${CRATE}_bg.wasm`];
}

/** Content-script and popup bytes of the built extension (each file gzipped on its own, -9). */
export function payload(dist) {
  return {
    wasmPath: measure(dist, ['loader.js', `engine/${CRATE}_glue.js`, `engine/${CRATE}_bg.wasm`]),
    // Where the page refuses WebAssembly the loader learns it without fetching the .wasm.
    jsPath: measure(dist, ['loader.js', `engine/${CRATE}_glue.js`, `engine/${CRATE}_js.js`]),
    popup: measure(dist, POPUP_PAGE),
    // The popup's own engine (popup/ when the build splits it out; else the shared engine/).
    popupWithEngine: measure(dist, [...POPUP_PAGE, ...popupEngine(dist)]),
  };
}

const WASM_FEATURES = ['--enable-bulk-memory', '--enable-bulk-memory-opt', '--enable-sign-ext',
  '--enable-nontrapping-float-to-int', '--enable-mutable-globals'];

/**
 * The shipped engine rebuilt with its names kept (wasm-bindgen --keep-debug, wasm-opt -Oz -g):
 * the same steps as build.sh (strip target features, bind, -Oz), plus a name section. Returns its path.
 */
export function namedWasm(repo, outDir) {
  const compiled = join(repo, 'target', 'engine', `${CRATE}.wasm`);
  mkdirSync(outDir, { recursive: true });
  const input = join(outDir, `${CRATE}.wasm`);
  execFileSync(join(repo, 'node_modules', '.bin', 'wasm-opt'), ['-g', '--strip-target-features', ...WASM_FEATURES, compiled, '-o', input]);
  execFileSync('wasm-bindgen', ['--keep-debug', '--target', 'bundler', '--out-dir', join(outDir, 'bindgen'), input]);
  const out = join(outDir, `${CRATE}_bg.wasm`);
  execFileSync(join(repo, 'node_modules', '.bin', 'wasm-opt'), ['-Oz', '--converge', '-g', ...WASM_FEATURES,
    join(outDir, 'bindgen', `${CRATE}_bg.wasm`), '-o', out]);
  // The shipped glue imports and calls short names (tools/short-names.mjs): give this build the
  // same ones, and check that it links against the shipped glue exactly.
  const glue = join(outDir, 'names', `${CRATE}_bg.js`);
  mkdirSync(dirname(glue), { recursive: true });
  copyFileSync(join(outDir, 'bindgen', `${CRATE}_bg.js`), glue);
  execFileSync('node', [join(repo, 'tools', 'short-names.mjs'), out, glue]);
  const shape = (file) => {
    const module = new WebAssembly.Module(readFileSync(file));
    return JSON.stringify([WebAssembly.Module.imports(module).map((i) => `${i.module} ${i.name}`).sort(),
      WebAssembly.Module.exports(module).map((e) => e.name).sort()]);
  };
  if (shape(out) !== shape(join(repo, 'dist', 'extension', 'engine', `${CRATE}_bg.wasm`))) {
    throw new Error('the engine built with names does not have the shipped engine\'s imports and exports');
  }
  return out;
}

/** Buckets of the wasm's code and data by where it comes from, from `twiggy top`. */
const BUCKETS = [
  ['popup code (reauth_guide::browser::popup)', /reauth_guide::browser::popup|run_popup/],
  ['guide: DOM, overlay, observers (reauth_guide::browser)', /reauth_guide::browser|^run$/],
  ['pure core (locator, flow, roadmap, progress, report…)', /reauth_guide::/],
  ['serde / serde_json / serde_wasm_bindgen', /serde/],
  ['core::fmt / Debug / Display / panics', /core::fmt|fmt::|Debug|Display|panic|escape_debug|unicode/],
  ['allocator (dlmalloc)', /dlmalloc/],
  ['wasm-bindgen / js-sys / web-sys / gloo / futures', /wasm_bindgen|js_sys|web_sys|gloo|futures|__wbg|__wbindgen/],
  ['alloc / core / std (collections, strings, sort)', /alloc::|core::|std::|<str|<char|<\[/],
  ['data segments (strings, tables)', /^data segment/],
];

export function wasmBreakdown(wasm) {
  const twiggy = [process.env.TWIGGY, join(homedir(), '.cargo', 'bin', 'twiggy'), 'twiggy'].find((t) => t && (t === 'twiggy' || existsSync(t)));
  const items = JSON.parse(execFileSync(twiggy, ['top', '-n', '100000', '--format', 'json', wasm], { maxBuffer: 64 << 20 }).toString());
  const isName = (n) => /subsection|^custom section|"name"|producers|target_features/.test(n);
  const code = items.filter((i) => !isName(i.name));
  const total = code.reduce((s, i) => s + i.shallow_size, 0);
  const buckets = new Map(BUCKETS.map(([label]) => [label, 0]));
  buckets.set('other', 0);
  for (const item of code) {
    const hit = BUCKETS.find(([, re]) => re.test(item.name));
    const label = hit ? hit[0] : 'other';
    buckets.set(label, buckets.get(label) + item.shallow_size);
  }
  return {
    tool: `twiggy top on ${wasm} (name section excluded)`,
    total,
    buckets: [...buckets].map(([label, bytes]) => ({ label, bytes })).sort((a, b) => b.bytes - a.bytes),
    top: code.slice(0, 15).map((i) => ({ name: i.name.replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]{16}\]/g, ''), bytes: i.shallow_size })),
  };
}
