// Firefox ESR: the smoke flow (tests/firefox/smoke.mjs, Okta → Microsoft → Okta over WebDriver
// BiDi with the built extension as a temporary add-on) passes, and web-ext lint reports no errors
// or warnings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';

test('web-ext lint: 0 errors and 0 warnings on the built extension', () => {
  const run = spawnSync(join(repo, 'node_modules', '.bin', 'web-ext'),
    ['lint', '--source-dir', join(repo, 'dist', 'firefox'), '--self-hosted', '--output', 'json'],
    { encoding: 'utf8', timeout: 120_000 });
  const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{')));
  assert.equal(report.count, report.errors.length + report.warnings.length + report.notices.length);
  assert.deepEqual(report.errors.map((e) => `${e.code}: ${e.message} (${e.file})`), []);
  // Warnings are errors too (the stores' reviewers see them): no computed import(), and a
  // Firefox-for-Android minimum that understands data_collection_permissions.
  assert.deepEqual(report.warnings.map((e) => `${e.code}: ${e.message} (${e.file})`), []);
});

test('Firefox ESR smoke flow: Okta → Microsoft → Okta reaches "done"', () => {
  assert.ok(existsSync(FIREFOX), `${FIREFOX} is missing: ./build.sh test installs Debian's firefox-esr`);
  const smoke = () => spawnSync(process.execPath, ['--experimental-websocket', join(repo, 'tests', 'firefox', 'smoke.mjs')],
    { encoding: 'utf8', timeout: 240_000, env: { ...process.env, FIREFOX } });
  let run = smoke();
  if (run.status !== 0) {
    // One more go in a fresh Firefox: the WebDriver driver can lose a click on a node the replica
    // is replacing. A fault in the extension fails both runs.
    console.log(`first Firefox run failed, retrying:\n${run.stdout}`);
    run = smoke();
  }
  assert.equal(run.status, 0, `smoke flow failed:\n${run.stdout}\n${run.stderr.slice(-4000)}`);
  assert.match(run.stdout, /# done on the (wasm|js) engine/);
});
