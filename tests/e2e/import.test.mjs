// Import of a JSON export: an admin moving to a new machine takes their orgs' history along.
// The round trip (export in one profile, import into a fresh one, export again) gives the same
// report; a foreign or broken file is refused with a clear message and changes nothing; an org
// whose progress here is newer keeps it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, recordConsole, EXTENSION_ID, EXTENSION_DIR } from './harness.mjs';
import { walked, asItems } from './records.mjs';

const POPUP = `chrome-extension://${EXTENSION_ID}/popup.html`;
const EN = JSON.parse(readFileSync(join(EXTENSION_DIR, '_locales', 'en', 'messages.json'), 'utf8'));
let server;
const browsers = [];
before(async () => { server = await startServer(); });
after(async () => {
  for (const b of browsers) await b.close();
  await server?.close();
});

async function freshPopup() {
  const browser = await launchBrowser(server);
  browsers.push(browser);
  const popup = await browser.context.newPage();
  popup.log = recordConsole(popup);
  await popup.goto(POPUP);
  await popup.waitForSelector('#popup:not([aria-busy])');
  return popup;
}

const storageOf = (popup) => popup.evaluate(() => chrome.storage.local.get(null));

async function exportJson(popup) {
  const [download] = await Promise.all([popup.waitForEvent('download'), popup.click('#export-json')]);
  return readFileSync(await download.path(), 'utf8');
}

async function importFile(popup, name, text) {
  await popup.evaluate(() => { document.querySelector('#message').textContent = ''; });
  await popup.setInputFiles('#import-file', { name, mimeType: 'application/json', buffer: Buffer.from(text) });
  await popup.waitForFunction(() => document.querySelector('#message').textContent !== '');
  return { text: await popup.innerText('#message'), kind: await popup.getAttribute('#message', 'data-kind') };
}

const withoutGeneratedAt = (json) => {
  const { generatedAt, ...rest } = JSON.parse(json);
  assert.ok(generatedAt);
  return rest;
};

test('an export imported on a fresh profile exports the same report, and the popup shows its orgs', async () => {
  const old = await freshPopup();
  await old.evaluate((items) => chrome.storage.local.set(items), {
    ...asItems([
      walked('acme.okta.com', 'done', { account: 'admin@acme.onmicrosoft.com' }),
      walked('globex.okta.com', 'edit', { paused: true }),
      walked('initech.oktapreview.com', 'consent'),
    ]),
    settings: { recordAccount: true, deadline: '2026-09-15', prepared: [] },
  });
  await old.waitForSelector('#orgs label[data-org="initech.oktapreview.com"]');
  const exported = await exportJson(old);

  const fresh = await freshPopup();
  await fresh.evaluate(() => chrome.storage.local.set({ settings: { recordAccount: true, deadline: '2026-09-15', prepared: [] } }));
  const said = await importFile(fresh, 'moving.json', exported);
  assert.equal(said.kind, 'ok', said.text);
  assert.equal(said.text, EN.popup_imported.message.replace('$1', '3').replace('$2', 'moving.json'));
  await fresh.waitForSelector('#orgs label[data-org="acme.okta.com"][data-status="done"]');
  assert.equal(await fresh.getAttribute('#orgs label[data-org="globex.okta.com"]', 'data-status'), 'paused');
  assert.deepEqual(withoutGeneratedAt(await exportJson(fresh)), withoutGeneratedAt(exported), 'the round trip');
});

test('a foreign, broken or damaged file is refused with a reason and changes nothing', async () => {
  const popup = await freshPopup();
  await popup.evaluate((r) => chrome.storage.local.set({ [`org:${r.org}`]: r }), walked('acme.okta.com', 'edit'));
  const before = await storageOf(popup);
  const good = await exportJson(popup);
  const cases = [
    ['notes.json', '{"hello": "world"}', EN.popup_import_unreadable.message.split('(')[0]],
    ['broken.json', '{"report": "office365-reauth', EN.popup_import_unreadable.message.split('(')[0]],
    ['other.json', good.replace('"office365-reauthentication"', '"something-else"'), EN.popup_import_foreign.message],
    ['empty.json', '{"report": "office365-reauthentication", "orgs": []}', EN.popup_import_empty.message],
    ['damaged.json', good.replace('"currentStep": "edit"', '"currentStep": "launch-rockets"'),
      EN.popup_import_invalid.message.replace('$1', 'acme.okta.com (currentStep)')],
  ];
  for (const [name, text, expected] of cases) {
    const said = await importFile(popup, name, text);
    assert.equal(said.kind, 'error', `${name}: ${said.text}`);
    assert.ok(said.text.startsWith(expected), `${name}: ${said.text}`);
    assert.match(said.text, /Nothing was changed|nothing was imported/);
    assert.deepEqual(await storageOf(popup), before, `${name} changed storage`);
  }
});

test('an org whose progress here is newer keeps it; the others are imported', async () => {
  const popup = await freshPopup();
  const newer = walked('acme.okta.com', 'done', {});
  await popup.evaluate((r) => chrome.storage.local.set({ [`org:${r.org}`]: r }), newer);
  const file = JSON.stringify({
    report: 'office365-reauthentication',
    orgs: [
      { org: 'acme.okta.com', status: 'in-progress', currentStep: 'edit', startedAt: '2026-03-12T14:05:00Z', finishedAt: null,
        steps: [{ step: 'applications', at: '2026-03-12T14:05:00Z' }, { step: 'edit', at: '2026-03-12T14:09:00Z' }] },
      { org: 'globex.okta.com', status: 'in-progress', currentStep: 'edit', startedAt: '2026-03-12T14:05:00Z', finishedAt: null,
        steps: [{ step: 'applications', at: '2026-03-12T14:05:00Z' }, { step: 'edit', at: '2026-03-12T14:09:00Z' }] },
    ],
  });
  const said = await importFile(popup, 'old.json', file);
  assert.equal(said.text, EN.popup_imported_some.message.replace('$1', '1').replace('$2', 'old.json').replace('$3', '1'));
  const stored = await storageOf(popup);
  assert.deepEqual(stored['org:acme.okta.com'], newer, 'the newer record here is kept');
  assert.equal(stored['org:globex.okta.com'].step, 'edit');
  assert.deepEqual(stored['org:globex.okta.com'].history.map((h) => h.step), ['applications', 'edit']);
});
