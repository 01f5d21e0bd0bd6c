// Reproducible build: two clean builds of this tree, in two folders of different names and
// lengths with target dirs of their own, must give byte-identical dist/extension and store zip.
// A store's source reviewer (addons.mozilla.org) rebuilds the package and compares it with the
// upload; any machine path, timestamp or unordered output in the build would show here.
//
// The copies take the tracked and untracked-but-not-ignored files as they are on disk (so the
// test checks the tree being tested, committed or not), share CARGO_HOME (the registry and the
// installed wasm-bindgen-cli) and, through a symlink, this tree's node_modules (installed by
// `npm ci` from the same lock file). Each copy then runs `./build.sh` as a reviewer would.
//
//   node --test tests/repro/          (about two clean release builds of time)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Copies the tree's files (tracked, and untracked but not ignored) into `dir`, times kept. */
function copyTree(dir) {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo })
    .toString().split('\0').filter(Boolean);
  for (const file of files) {
    const from = join(repo, file);
    let stat;
    try { stat = statSync(from); } catch { continue; } // deleted but not yet committed
    const to = join(dir, file);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
    utimesSync(to, stat.atime, stat.mtime);
  }
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
}

/** Every file under `root` with the SHA-256 of its bytes, by relative path. */
function digests(root) {
  const out = {};
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(root, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(root);
  return out;
}

function build(dir) {
  const env = { ...process.env };
  delete env.CARGO_TARGET_DIR;
  delete env.CARGO_BUILD_TARGET_DIR;
  const run = spawnSync('./build.sh', [], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(run.status, 0, `./build.sh in ${dir} failed:\n${run.stdout}\n${run.stderr}`);
}

test('two clean builds in different folders give byte-identical dist/extension and zip', { timeout: 30 * 60_000 }, () => {
  const base = mkdtempSync(join(tmpdir(), 'o365-repro-'));
  const first = join(base, 'a');
  const second = join(base, 'second-build-with-a-longer-path');
  try {
    for (const dir of [first, second]) {
      mkdirSync(dir);
      copyTree(dir);
      build(dir);
    }
    const a = digests(join(first, 'dist'));
    const b = digests(join(second, 'dist'));
    assert.ok(Object.keys(a).some((f) => f.endsWith('.wasm')), `the build wrote no wasm: ${Object.keys(a)}`);
    assert.ok(Object.keys(a).some((f) => f.endsWith('.zip')), `the build wrote no zip: ${Object.keys(a)}`);
    const differing = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((f) => a[f] !== b[f]).sort();
    assert.deepEqual(differing, [], 'files that differ between the two builds');
    // No machine path is left in what ships (the folders above, the home, the work tree).
    const leaks = [];
    for (const file of Object.keys(a)) {
      const text = readFileSync(join(first, 'dist', file)).toString('latin1');
      for (const path of [first, second, base, repo, process.env.HOME || '/root', '/work/', '/tmp/']) {
        if (text.includes(path)) leaks.push(`${file}: ${path}`);
      }
    }
    assert.deepEqual(leaks, [], 'machine paths in the built files');
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
