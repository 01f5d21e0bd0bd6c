#!/usr/bin/env node
// Writes THIRD-PARTY-NOTICES.txt: every third-party crate compiled into the extension's wasm,
// the Rust standard library, and every npm package whose code or output is in the package, each
// with its licence and the licence files it publishes. build.sh puts it into dist/extension, so
// it is in the store zip and the Firefox package.
//
// Crates: `cargo metadata` for wasm32-unknown-unknown, reachable from this crate through normal
// dependencies (not dev, not build). Procedural macros run at build time, but the code they
// generate is compiled in, so they are listed too (their own dependencies run only on the build
// machine and are not). Licence files come from each crate's registry source folder; a crate
// that publishes none gets the standard text of its licence (from the toolchain's
// share/doc/rust/licenses) with its authors as the copyright holders.
//
// npm: every package in package-lock.json not marked dev (none today: npm supplies build and
// test tools only), and binaryen, whose wasm2js output (engine/reauth_guide_js.js) and wasm-opt
// runtime code are in the package.
//
// The output has no paths, dates or machine details, so that builds stay byte-identical.
//
//   node tools/third-party-notices.mjs OUT
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = 'wasm32-unknown-unknown';
/** npm packages whose output ships although the lock file marks them dev (build tools). */
const NPM_OUTPUT_SHIPPED = { binaryen: 'its wasm2js translation is engine/reauth_guide_js.js; wasm-opt rewrote every .wasm' };
const LICENCE_FILE = /^(licen[cs]e|copying|notice|copyright|unlicense)/i;

const rule = (ch = '=') => ch.repeat(78);

function licenceFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => LICENCE_FILE.test(f))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8').replace(/\r\n/g, '\n').trimEnd() }));
}

function toolchainLicences() {
  const sysroot = execFileSync('rustc', ['--print', 'sysroot'], { cwd: repo, encoding: 'utf8' }).trim();
  const dir = join(sysroot, 'share', 'doc', 'rust', 'licenses');
  const texts = {};
  for (const id of ['MIT', 'Apache-2.0', 'Unicode-3.0']) {
    const file = join(dir, `${id}.txt`);
    if (existsSync(file)) texts[id] = readFileSync(file, 'utf8').replace(/\r\n/g, '\n').trimEnd();
  }
  return texts;
}

function crates() {
  const meta = JSON.parse(execFileSync('cargo', ['metadata', '--format-version', '1', '--locked', '--filter-platform', TARGET], {
    cwd: repo, maxBuffer: 256 << 20, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
  }));
  const byId = new Map(meta.packages.map((p) => [p.id, p]));
  const nodes = new Map(meta.resolve.nodes.map((n) => [n.id, n]));
  const found = new Map();
  const queue = [...meta.workspace_members];
  while (queue.length) {
    const id = queue.pop();
    if (found.has(id)) continue;
    const p = byId.get(id);
    const macro = p.targets.some((t) => t.kind.includes('proc-macro'));
    found.set(id, macro);
    if (macro) continue;
    for (const dep of nodes.get(id)?.deps ?? []) {
      if (dep.dep_kinds.some((k) => k.kind === null)) queue.push(dep.pkg);
    }
  }
  return [...found]
    .filter(([id]) => !meta.workspace_members.includes(id))
    .map(([id, macro]) => {
      const p = byId.get(id);
      return {
        name: p.name, version: p.version, license: p.license || '(none declared)', macro,
        authors: p.authors ?? [], repository: p.repository || p.homepage || '',
        files: licenceFiles(dirname(p.manifest_path)),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

function npmPackages() {
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'));
  return Object.entries(lock.packages)
    .filter(([path, p]) => path && (!p.dev || path.split('node_modules/').pop() in NPM_OUTPUT_SHIPPED))
    .map(([path, p]) => {
      const name = p.name || path.split('node_modules/').pop();
      const dir = join(repo, path);
      let pkg = {};
      if (existsSync(join(dir, 'package.json'))) pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const repository = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url ?? pkg.homepage ?? '';
      return {
        name, version: p.version, license: p.license || pkg.license || '(none declared)', why: NPM_OUTPUT_SHIPPED[name],
        repository, files: licenceFiles(dir),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The licence ids an SPDX expression names (MIT OR Apache-2.0 → both). */
const ids = (expression) => (expression.match(/[A-Za-z0-9.+-]+/g) || []).filter((t) => !/^(AND|OR|WITH)$/.test(t));

function entry(lines, p, standard, note) {
  lines.push(rule('-'), `${p.name} ${p.version}`, `Licence: ${p.license}`);
  if (p.repository) lines.push(`Source: ${p.repository}`);
  if (note) lines.push(note);
  lines.push('');
  if (p.files.length) {
    for (const f of p.files) lines.push(`--- ${f.name} ---`, f.text, '');
  } else {
    const holders = p.authors?.length ? p.authors.map((a) => a.replace(/\s*<[^>]*>/, '')).join(', ') : `the ${p.name} authors`;
    lines.push(`(The published package has no licence file. Copyright (c) ${holders}; the standard text of each licence it names is in "Licence texts" at the end.)`, '');
  }
  for (const id of ids(p.license)) if (!p.files.length) standard.add(id);
}

export function notices() {
  const texts = toolchainLicences();
  const standard = new Set(['MIT', 'Apache-2.0']); // the Rust standard library's
  const lines = [
    'Third-party software in the Office 365 Re-authentication Guide',
    rule(),
    '',
    'The extension itself is MIT-licensed (LICENSE in its source). Its WebAssembly engine and',
    'popup are compiled from Rust and include the following third-party code. This file is',
    'generated by tools/third-party-notices.mjs at build time.',
    '',
    rule(),
    'The Rust standard library (core, alloc, std)',
    rule(),
    'Licence: MIT OR Apache-2.0. Copyright (c) The Rust Project Developers.',
    'Source: https://github.com/rust-lang/rust (the pinned toolchain of rust-toolchain.toml)',
    'The standard texts of both licences are in "Licence texts" at the end.',
    '',
    rule(),
    'Rust crates compiled into the extension',
    rule(),
  ];
  for (const c of crates()) {
    entry(lines, c, standard, c.macro ? 'A procedural macro: it runs at build time and the code it generates is compiled in.' : '');
  }
  lines.push(rule(), 'npm packages whose code or output is in the extension', rule());
  const npm = npmPackages();
  if (!npm.length) lines.push('(none)');
  for (const p of npm) entry(lines, p, standard, p.why ? `In the package: ${p.why}.` : '');
  lines.push(rule(), 'Licence texts', rule());
  for (const id of [...standard].sort()) {
    lines.push(rule('-'), id, rule('-'), texts[id] ?? `(the standard ${id} text: https://spdx.org/licenses/${id}.html)`, '');
  }
  return lines.join('\n').replace(/[ \t]+$/gm, '') + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node tools/third-party-notices.mjs OUT');
    process.exit(2);
  }
  writeFileSync(out, notices());
}
