// A stable id for unpacked loads: the unpacked build carries a fixed public key, so the same
// extension loaded from another folder keeps its id, and with it the progress it stored. Without
// the key, Chromium derives the id from the folder's path, and a new folder starts empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, extensionId, EXTENSION_DIR } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const TMP = join(here, '..', '.tmp');
const ORG = 'moved-admin.okta.com';

test('progress survives loading the unpacked extension from another folder', async () => {
  mkdirSync(TMP, { recursive: true });
  const base = mkdtempSync(join(TMP, 'stable-id-'));
  const first = join(base, 'first-folder');
  const second = join(base, 'somewhere', 'else', 'entirely');
  cpSync(EXTENSION_DIR, first, { recursive: true });
  cpSync(EXTENSION_DIR, second, { recursive: true });
  const profileDir = join(base, 'profile');
  mkdirSync(profileDir);
  const server = await startServer();
  try {
    // The id does not depend on the folder.
    assert.equal(extensionId(first), extensionId(second), 'the same id from both folders');
    const id = extensionId(first);
    const record = { schema: 1, org: ORG, step: 'edit', startedAt: 1000, updatedAt: 2000, history: [{ step: 'applications', at: 1000 }, { step: 'edit', at: 2000 }] };

    let browser = await launchBrowser(server, { profileDir, extensionDir: first });
    try {
      const popup = await browser.context.newPage();
      await popup.goto(`chrome-extension://${id}/popup.html`);
      await popup.waitForSelector('#popup:not([aria-busy])');
      await popup.evaluate(([key, value]) => chrome.storage.local.set({ [key]: value, active: value.org }), [`org:${ORG}`, record]);
      assert.equal(await popup.evaluate(() => chrome.runtime.id), id, 'Chromium gave the key\'s id');
    } finally {
      await browser.close();
    }

    browser = await launchBrowser(server, { profileDir, extensionDir: second });
    try {
      const popup = await browser.context.newPage();
      await popup.goto(`chrome-extension://${id}/popup.html`);
      await popup.waitForSelector('#popup:not([aria-busy])');
      assert.equal(await popup.evaluate(() => chrome.runtime.id), id, 'the same id from the other folder');
      const stored = await popup.evaluate((key) => chrome.storage.local.get(key).then((items) => items[key]), `org:${ORG}`);
      assert.deepEqual(stored, record, 'the progress stored from the first folder');
      // And the popup shows it.
      const row = popup.locator(`#orgs label[data-org="${ORG}"]`);
      assert.equal(await row.getAttribute('data-status'), 'in-progress');
    } finally {
      await browser.close();
    }
  } finally {
    await server.close();
    rmSync(base, { recursive: true, force: true });
  }
});
