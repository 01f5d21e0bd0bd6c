// Gives the functions that a wasm-bindgen module and its JS glue share short names, in both files:
// the glue's imports (`__wbg_querySelectorAll_d807cb5774fbb90c` …, each written once in the .wasm
// and once in the glue, with a hash that does not compress) and the wasm's helper exports that
// only the glue calls (`__wbindgen_malloc`, closure invokers …).
//   node tools/short-names.mjs FILE.wasm GLUE.js
// Kept as they are: `memory`, `__wbindgen_start` (loader.js and popup.js call it) and every
// export the glue itself exports under the same name (`run`, `run_popup`: the glue wraps them).
// Rewrites both files in place; prints how many names it shortened.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const [wasmPath, gluePath] = process.argv.slice(2);
if (!wasmPath || !gluePath) throw new Error('usage: node tools/short-names.mjs FILE.wasm GLUE.js');
const bytes = readFileSync(wasmPath);
let glue = readFileSync(gluePath, 'utf8');
if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error(`${wasmPath} is not a wasm module`);
const glueModule = `./${basename(gluePath)}`;

function leb(at) {
  let value = 0, shift = 0, byte;
  do { byte = bytes[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return [value, at];
}
function encodeLeb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
}
function readName(at) {
  const [length, start] = leb(at);
  return [bytes.toString('utf8', start, start + length), start + length];
}
function encodeName(name) {
  const utf8 = Buffer.from(name, 'utf8');
  return Buffer.concat([encodeLeb(utf8.length), utf8]);
}
/** Skips an import's description (after its kind byte). */
function skipDescription(kind, at) {
  const limits = (p) => { const flags = bytes[p++]; [, p] = leb(p); if (flags & 1) [, p] = leb(p); return p; };
  switch (kind) {
    case 0: return leb(at)[1]; // function: type index
    case 1: return limits(at + 1); // table: element type, limits
    case 2: return limits(at); // memory: limits
    case 3: return at + 2; // global: value type, mutability
    case 4: return leb(at + 1)[1]; // tag: attribute, type index
    default: throw new Error(`unknown import kind ${kind}`);
  }
}

// Every identifier-like word in the glue (also inside strings and comments: a new name must not
// collide with any of them).
const words = new Set(glue.match(/[A-Za-z_$][\w$]*/g));
const RESERVED = new Set(['do', 'if', 'in', 'as', 'of', 'for', 'let', 'new', 'try', 'var', 'int', 'NaN']);
const FIRST = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$';
const REST = `${FIRST}0123456789`;
let counter = 0;
function nextName() {
  for (;;) {
    let n = counter++;
    let name = FIRST[n % FIRST.length];
    n = Math.floor(n / FIRST.length);
    while (n > 0) {
      n -= 1;
      name += REST[n % REST.length];
      n = Math.floor(n / REST.length);
    }
    if (!words.has(name) && !RESERVED.has(name)) return name;
  }
}

const renames = new Map();
const glueExports = new Set([...glue.matchAll(/export\s+(?:function|const|let|var|class)\s+([\w$]+)/g)].map((m) => m[1]));
const KEEP = new Set(['memory', '__wbindgen_start']);

const sections = [bytes.subarray(0, 8)];
let at = 8;
let seenImports = false;
while (at < bytes.length) {
  const start = at;
  const id = bytes[at++];
  const [size, body] = leb(at);
  const end = body + size;
  if (id === 2 || id === 7) {
    let [count, p] = leb(body);
    const entries = [encodeLeb(count)];
    for (let i = 0; i < count; i++) {
      if (id === 2) {
        const entryStart = p;
        const [module, afterModule] = readName(p);
        const [name, afterName] = readName(afterModule);
        const kind = bytes[afterName];
        const afterDescription = skipDescription(kind, afterName + 1);
        if (module === glueModule && kind === 0) {
          if (!glueExports.has(name)) throw new Error(`the glue does not export the import ${name}`);
          if (!renames.has(name)) renames.set(name, nextName());
          entries.push(encodeName(module), encodeName(renames.get(name)), bytes.subarray(afterName, afterDescription));
        } else {
          entries.push(bytes.subarray(entryStart, afterDescription));
        }
        p = afterDescription;
      } else {
        const [name, afterName] = readName(p);
        const [, afterIndex] = leb(afterName + 1);
        const calledByGlue = new RegExp(`\\bwasm\\.${name}(?![\\w$])`).test(glue);
        if (!KEEP.has(name) && !glueExports.has(name) && calledByGlue) {
          if (renames.has(name)) throw new Error(`${name} is both imported and exported`);
          renames.set(name, nextName());
          entries.push(encodeName(renames.get(name)), bytes.subarray(afterName, afterIndex));
        } else {
          entries.push(bytes.subarray(p, afterIndex));
        }
        p = afterIndex;
      }
    }
    if (p !== end) throw new Error(`section ${id} was not read to its end`);
    const content = Buffer.concat(entries);
    sections.push(Buffer.from([id]), encodeLeb(content.length), content);
    seenImports ||= id === 2;
  } else {
    sections.push(bytes.subarray(start, end));
  }
  at = end;
}
if (!seenImports) throw new Error(`${wasmPath} has no import section`);

for (const [from, to] of renames) {
  const pattern = new RegExp(`(?<![\\w$])${from}(?![\\w$])`, 'g');
  const before = glue;
  glue = glue.replace(pattern, to);
  if (glue === before) throw new Error(`${from} does not occur in ${gluePath}`);
}
writeFileSync(wasmPath, Buffer.concat(sections));
writeFileSync(gluePath, glue);
console.log(`short-names: ${renames.size} names shortened in ${wasmPath} and ${gluePath}`);
