// Reproducible build and release, as a store's source reviewer (addons.mozilla.org) would check
// them: `./build.sh release` in one clean folder, then the source zip it wrote unpacked into a
// second folder (other name, other length, no git) and built there with `./build.sh`. The two
// dist/extension trees and store zips must be byte-identical, nothing in them may name a
// machine path, and the release artefacts must be what docs/install.md promises.
//
// The first folder is a fresh git repository of this tree's files as they are on disk (tracked,
// and untracked but not ignored), so that the test checks the tree being tested, committed or
// not. Both folders have target dirs of their own and share CARGO_HOME (the registry, the
// installed wasm-bindgen-cli). The first hard-links this tree's node_modules; the second installs
// its own with `npm ci` (from npm's cache), as the reviewer would.
//
//   node --test tests/repro/          (two clean release builds: a few minutes)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync,
  utimesSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const version = JSON.parse(readFileSync(join(repo, 'manifest.json'), 'utf8')).version;
const NAME = `o365-reauth-guide-${version}`;
const IGNORED = new Set(['.git', 'target', 'dist', 'node_modules', '.tmp']);

/** This tree's files: git's list where it is a checkout, else every file outside build output. */
function sourceFiles() {
  const git = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo });
  if (git.status === 0) return git.stdout.toString().split('\0').filter(Boolean);
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(repo, dir), { withFileTypes: true })) {
      if (IGNORED.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(path);
    }
  };
  walk('');
  return out;
}

/** Copies this tree's files into `dir`, times kept (build.sh compares the lock file's time). */
function copyTree(dir) {
  for (const file of sourceFiles()) {
    const from = join(repo, file);
    let stat;
    try { stat = statSync(from); } catch { continue; } // deleted but not yet committed
    const to = join(dir, file);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
    utimesSync(to, stat.atime, stat.mtime);
  }
}

/** This tree's node_modules, hard-linked (fast, no space; a symlink would let an `npm ci` in
 * the copy empty the original). */
const linkNodeModules = (dir) => execFileSync('cp', ['-al', join(repo, 'node_modules'), join(dir, 'node_modules')]);

/** Every file under `root` with the SHA-256 of its bytes, by relative path. */
function digests(root) {
  const out = {};
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(root, path)] = sha256(readFileSync(path));
    }
  };
  walk(root);
  return out;
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function run(dir, args) {
  const env = { ...process.env };
  delete env.CARGO_TARGET_DIR;
  delete env.CARGO_BUILD_TARGET_DIR;
  return spawnSync('./build.sh', args, { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 << 20 });
}

function build(dir, args = []) {
  const result = run(dir, args);
  assert.equal(result.status, 0, `./build.sh ${args.join(' ')} in ${dir} failed:\n${result.stdout}\n${result.stderr}`);
}

const git = (dir, ...args) => execFileSync('git', ['-c', 'user.name=repro', '-c', 'user.email=repro@localhost', ...args], { cwd: dir, stdio: 'pipe' });

/** The entries of a zip and their contents' digests (python3: the build needs it anyway). */
function zipDigests(file) {
  const script = 'import hashlib,json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\n'
    + 'print(json.dumps({n: hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist()}))';
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }));
}

const zipText = (file, name) => execFileSync('python3', ['-c', 'import sys,zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())', file, name], { encoding: 'utf8' });

test('a release, and a rebuild from its source zip in another folder, give byte-identical packages', { timeout: 40 * 60_000 }, () => {
  const base = mkdtempSync(join(tmpdir(), 'o365-repro-'));
  const released = join(base, 'release');
  const rebuilt = join(base, 'reviewer-rebuild-from-the-source-zip');
  try {
    // The release, from a clean commit of this tree; a dirty tree is refused first.
    mkdirSync(released);
    copyTree(released);
    git(released, 'init', '-q');
    git(released, 'add', '-A');
    git(released, 'commit', '-q', '-m', 'tree under test');
    linkNodeModules(released); // ignored by .gitignore: the tree stays clean
    writeFileSync(join(released, 'stray.txt'), 'not committed\n');
    const refused = run(released, ['release']);
    assert.notEqual(refused.status, 0, 'release ran on a dirty tree');
    assert.match(refused.stderr, /release needs a clean tree/);
    assert.match(refused.stderr, /stray\.txt/, 'the refusal names what is not committed');
    assert.equal(existsSync(join(released, 'dist')), false, 'a refused release built nothing');
    rmSync(join(released, 'stray.txt'));
    build(released, ['release']);

    const dist = join(released, 'dist');
    const artefacts = [`${NAME}-chrome.zip`, `${NAME}.xpi`, `${NAME}-source.zip`];
    for (const file of artefacts) assert.ok(existsSync(join(dist, file)), `release wrote no ${file}`);
    // SHA256SUMS covers exactly the three packages, with their digests.
    const sums = readFileSync(join(dist, 'SHA256SUMS'), 'utf8').trim().split('\n').map((line) => line.split(/\s+\*?/));
    assert.deepEqual(sums.map(([, f]) => f).sort(), [...artefacts].sort());
    for (const [digest, file] of sums) assert.equal(digest, sha256(readFileSync(join(dist, file))), `SHA256SUMS of ${file}`);
    // The Firefox package is dist/firefox less the unpacked-only key, byte for byte the zip that
    // ./build.sh writes; its files are dist/extension's, and so are the Chrome/Edge zip's.
    const { 'manifest.json': unpackedManifest, ...extension } = digests(join(dist, 'extension'));
    assert.ok(unpackedManifest);
    const firefox = zipDigests(join(dist, `${NAME}.xpi`));
    const { 'manifest.json': firefoxManifest, ...firefoxRest } = firefox;
    assert.deepEqual(firefoxRest, extension, 'the .xpi holds dist/extension');
    assert.ok('THIRD-PARTY-NOTICES.txt' in extension, 'the notices are in the package');
    assert.equal(sha256(readFileSync(join(dist, `${NAME}.xpi`))), sha256(readFileSync(join(dist, `${NAME}.zip`))), 'the .xpi is the zip ./build.sh writes');
    const { key, ...unpacked } = JSON.parse(readFileSync(join(dist, 'firefox', 'manifest.json'), 'utf8'));
    assert.ok(key, 'the unpacked build has its fixed key');
    const firefoxJson = JSON.parse(zipText(join(dist, `${NAME}.xpi`), 'manifest.json'));
    assert.deepEqual(firefoxJson, unpacked, 'the Firefox manifest is the unpacked Firefox one less the key');
    assert.deepEqual(firefoxJson.background, { scripts: ['background.js'] }, 'Firefox gets background scripts only');
    const chrome = zipDigests(join(dist, `${NAME}-chrome.zip`));
    const { 'manifest.json': chromeManifest, ...chromeRest } = chrome;
    assert.deepEqual(chromeRest, firefoxRest, 'the Chrome zip holds the same files');
    assert.ok(chromeManifest && firefoxManifest);
    const manifest = JSON.parse(zipText(join(dist, `${NAME}-chrome.zip`), 'manifest.json'));
    assert.equal('browser_specific_settings' in manifest, false, 'no Firefox key in the Chrome manifest');
    assert.deepEqual(manifest.background, { service_worker: 'background.js' }, 'Chrome gets the service worker only');
    const { browser_specific_settings: gecko, ...expected } = firefoxJson;
    assert.ok(gecko?.gecko?.id, 'the Firefox manifest keeps its id');
    assert.deepEqual(manifest, { ...expected, background: { service_worker: 'background.js' } },
      'the Chrome manifest is the Firefox one less browser_specific_settings, with the service worker for the background script');
    // The source zip: the commit's files and SOURCE-REVIEW.md at its root, no build output.
    const source = Object.keys(zipDigests(join(dist, `${NAME}-source.zip`)));
    for (const file of ['SOURCE-REVIEW.md', 'build.sh', 'Cargo.lock', 'package-lock.json', 'rust-toolchain.toml', 'LICENSE']) {
      assert.ok(source.includes(file), `${file} at the source zip's root`);
    }
    assert.deepEqual(source.filter((f) => /^(dist|target|node_modules)\//.test(f)), [], 'build output in the source zip');
    const review = zipText(join(dist, `${NAME}-source.zip`), 'SOURCE-REVIEW.md');
    assert.match(review, /rustc 1\.\d+\.\d+/);
    assert.match(review, /wasm-bindgen \d+\.\d+\.\d+/);
    assert.match(review, /\.\/build\.sh/);

    // The reviewer: the source zip unpacked elsewhere (no git), built with the plain command.
    mkdirSync(rebuilt);
    execFileSync('python3', ['-m', 'zipfile', '-e', join(dist, `${NAME}-source.zip`), rebuilt]);
    execFileSync('chmod', ['+x', join(rebuilt, 'build.sh')]);
    build(rebuilt); // installs its own node_modules with `npm ci`, as the reviewer would
    const again = digests(join(rebuilt, 'dist'));
    assert.ok(Object.keys(again).some((f) => f.endsWith('.wasm')), `the rebuild wrote no wasm: ${Object.keys(again)}`);
    const release = digests(dist);
    const differing = Object.keys(again).filter((f) => again[f] !== release[f]).sort();
    assert.deepEqual(differing, [], 'files that differ between the release and the rebuild from its source');

    // No machine path is left in what ships (the folders above, the home, the work tree).
    const leaks = [];
    for (const file of Object.keys(again)) {
      const text = readFileSync(join(rebuilt, 'dist', file)).toString('latin1');
      for (const path of [released, rebuilt, base, repo, process.env.HOME || '/root', '/work/', '/tmp/']) {
        if (text.includes(path)) leaks.push(`${file}: ${path}`);
      }
    }
    assert.deepEqual(leaks, [], 'machine paths in the built files');
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
