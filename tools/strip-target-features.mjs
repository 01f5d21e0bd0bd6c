// Drops the `target_features` custom section from a .wasm file. The precompiled std still
// advertises reference-types there, which makes wasm-bindgen emit an externref table that
// wasm2js cannot translate ("modules with multiple tables are not supported").
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output = input] = process.argv.slice(2);
const bytes = readFileSync(input);
if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error(`${input} is not a wasm module`);

function leb(at) {
  let value = 0, shift = 0, byte;
  do { byte = bytes[at++]; value |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80);
  return [value >>> 0, at];
}

const kept = [bytes.subarray(0, 8)];
let at = 8, dropped = 0;
while (at < bytes.length) {
  const start = at;
  const id = bytes[at++];
  const [size, body] = leb(at);
  const end = body + size;
  let drop = false;
  if (id === 0) {
    const [nameLength, nameStart] = leb(body);
    drop = bytes.toString('utf8', nameStart, nameStart + nameLength) === 'target_features';
  }
  if (drop) dropped++; else kept.push(bytes.subarray(start, end));
  at = end;
}
writeFileSync(output, Buffer.concat(kept));
console.log(`strip-target-features: ${dropped} section(s) dropped from ${input}`);
