// Field diagnostics never carry a secret. On every screen of the walk (dialect A replicas) the
// admin types a password, a one-time code and an e-mail address (into the page's own fields:
// Okta's top-bar search and Admin Password, Microsoft's account, password and code fields), then
// opens "Copy diagnostics" on every step and copies it: neither the box nor the clipboard holds
// any of them, nor the OAuth code Microsoft sent back; the e-mail address appears at most as its
// domain. Both engines on Okta (server.csp 'none' → wasm, 'strict' → js); Microsoft's page is js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { recordConsole, withFixtures, launchBrowser, EXTENSION_ID, EXTENSION_DIR } from './harness.mjs';
import { clickMarked, expectMarked, typeInto, waitForStep, guideState, cardText } from './guide.mjs';
import { writeLocal } from './inspect.mjs';
import { openProvisionedInstance, ORG_HOST, SEL } from './walk.mjs';
import { openDiagnostics, copyDiagnostics, closeDiagnostics, parseDiagnostics } from './diagnostics.mjs';

const PASSWORD = 'Pw-9k!Otter-Marble-5172';
const CODE = '48261937';
// "admin" in the name: Microsoft's replica lets only admins consent.
const EMAIL_NAME = 'zephyradmin.quill';
const TOP_SEARCH = '.o-top-bar--search input';

let server, browser;
withFixtures((env) => ({ server, browser } = env));

/** Types every secret into Okta's top-bar search (cleared first): a field on every Okta screen. */
async function typeSecretsInOkta(page, email) {
  await page.fill(TOP_SEARCH, '');
  await page.locator(TOP_SEARCH).click();
  await page.keyboard.type(`${PASSWORD} ${CODE} ${email}`, { delay: 2 });
}

/** Opens the diagnostics, copies them, and checks both hold no secret; returns the report. */
async function checkDiagnostics(page, step, secrets, where) {
  const preview = await openDiagnostics(page);
  const { status, clipboard } = await copyDiagnostics(page);
  assert.match(status, /^Copied\./, `${where}: Copy says ${status}`);
  assert.equal(clipboard, preview, `${where}: the clipboard holds exactly what the box showed`);
  for (const secret of secrets) {
    assert.ok(!preview.includes(secret), `${where}: the diagnostics hold ${JSON.stringify(secret)}:\n${preview}`);
  }
  const report = parseDiagnostics(preview);
  assert.equal(report.step, step, `${where}: the report's step`);
  assert.ok(report.targets.length > 0 && report.outline?.nodes > 0, `${where}: the report has targets and an outline`);
  assert.ok(preview.length < 200_000, `${where}: ${preview.length} characters`);
  await closeDiagnostics(page);
  return report;
}

async function walkWithSecrets(org, csp, engine) {
  const email = `${EMAIL_NAME}@${org}.onmicrosoft.com`;
  const secrets = [PASSWORD, CODE, email, EMAIL_NAME];
  server.csp[ORG_HOST(org)] = csp;
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await browser.context.newPage();
  const log = recordConsole(page);
  const check = (step, where, extra = []) => checkDiagnostics(page, step, [...secrets, ...extra], `${engine}, ${where}`);
  try {
    await page.goto('https://login.microsoftonline.com/?replica.mfa=1');
    await page.goto(`https://${ORG_HOST(org)}/admin/dashboard?lang=en`);
    await expectMarked(page, 'applications', SEL.appsGroup);
    assert.equal((await guideState(page)).engine, engine);
    await typeSecretsInOkta(page, email);
    await check('applications', 'dashboard');
    await clickMarked(page, 'applications', SEL.appsGroup);
    await clickMarked(page, 'applications', SEL.appsLink);
    // (The apps search may be the target here: the secrets stay in the top bar, typed before.)
    await expectMarked(page, 'find-app', SEL.search);
    await check('find-app', 'applications list');
    await openProvisionedInstance(page);
    await typeSecretsInOkta(page, email);
    await check('provisioning-tab', 'app page');
    await clickMarked(page, 'provisioning-tab', SEL.provisioningTab);
    await expectMarked(page, 'integration', SEL.integration);
    await typeSecretsInOkta(page, email);
    await check('integration', 'provisioning settings');
    await clickMarked(page, 'integration', SEL.integration);
    await expectMarked(page, 'edit', SEL.edit);
    await typeSecretsInOkta(page, email);
    await check('edit', 'integration view');
    await clickMarked(page, 'edit', SEL.edit);
    await expectMarked(page, 'reauthenticate', SEL.reauthenticate);
    await page.locator(SEL.adminPassword).first().click();
    await page.keyboard.type(PASSWORD, { delay: 2 });
    await typeSecretsInOkta(page, email);
    await check('reauthenticate', 'integration edit');
    await clickMarked(page, 'reauthenticate', SEL.reauthenticate);
    await page.waitForURL(/login\.microsoftonline\.com/);

    await typeInto(page, 'microsoft-sign-in', 'input[name=loginfmt]', email);
    const ms = await check('microsoft-sign-in', 'Microsoft account');
    assert.equal(ms.environment.engine, 'js', 'Microsoft pages run the JS engine');
    await clickMarked(page, 'microsoft-sign-in', '#idSIButton9');
    await typeInto(page, 'microsoft-sign-in', 'input[name=passwd]', PASSWORD);
    await check('microsoft-sign-in', 'Microsoft password (the account shown above it)');
    await clickMarked(page, 'microsoft-sign-in', '#idSIButton9');
    await typeInto(page, 'microsoft-sign-in', '#otc', CODE);
    await check('microsoft-sign-in', 'Microsoft one-time code');
    await clickMarked(page, 'microsoft-sign-in', '#idSubmit_SAOTCC_Continue');
    await expectMarked(page, 'microsoft-sign-in', '#idSIButton9');
    await check('microsoft-sign-in', 'Microsoft stay signed in');
    await clickMarked(page, 'microsoft-sign-in', '#idSIButton9');
    await expectMarked(page, 'consent', '#idSIButton9');
    await check('consent', 'Microsoft permissions');
    await clickMarked(page, 'consent', '#idSIButton9');

    await page.waitForURL(new RegExp(ORG_HOST(org).replace(/\./g, '\\.')));
    // What Microsoft sent back is a secret too: only the parameters' names may be copied.
    const back = new URL(page.url()).searchParams;
    const oauth = ['code', 'state', 'session_state'].map((n) => back.get(n)).filter(Boolean);
    assert.ok(oauth.length >= 2, `the return carries Microsoft's answer: ${page.url()}`);
    await expectMarked(page, 'test-api', SEL.testApi);
    await typeSecretsInOkta(page, email);
    const returned = await check('test-api', 'back in Okta', oauth);
    // (The replica drops the answer from its address once read; whatever is left has no values.)
    assert.ok(returned.location.query.every((q) => q.value === null), `query: ${JSON.stringify(returned.location.query)}`);
    await clickMarked(page, 'test-api', SEL.testApi);
    await waitForStep(page, 'checkmarks', { state: 'done' });
    await expectMarked(page, 'save', SEL.save);
    const saved = await check('save', 'verified', oauth);
    assert.ok(saved.transitions.some((t) => t.reason === 'check-marks' && t.to === 'save'), `transitions: ${JSON.stringify(saved.transitions)}`);
    await clickMarked(page, 'save', SEL.save);
    await waitForStep(page, 'done', { state: 'done' });
    const done = await check('done', 'done', oauth);
    // (Kept in memory per page: this page has seen the return from Microsoft onwards.)
    assert.ok(done.transitions.length >= 4 && done.transitions.every((t) => t.reason && t.from && t.to), `transitions: ${JSON.stringify(done.transitions)}`);
  } catch (error) {
    error.message += `\n--- console ---\n${log.join('\n')}`;
    throw error;
  } finally {
    await page.close();
  }
}

test('diagnostics copied on every step hold no password, code or e-mail name (wasm on Okta)', () => walkWithSecrets('acme', 'none', 'wasm'));

test('diagnostics copied on every step hold no password, code or e-mail name (js on Okta)', () => walkWithSecrets('globex', 'strict', 'js'));

const POPUP = `chrome-extension://${EXTENSION_ID}/popup.html`;
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const messages = (lang) => JSON.parse(readFileSync(join(EXTENSION_DIR, '_locales', lang, 'messages.json'), 'utf8'));

async function axeViolations(popup) {
  await popup.evaluate(axeSource);
  return popup.evaluate(async () => {
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

async function openPopup(context, scheme = 'light') {
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 400, height: 600 });
  await popup.emulateMedia({ colorScheme: scheme });
  await popup.goto(POPUP);
  await popup.waitForSelector('#popup:not([aria-busy])');
  return popup;
}

test('the popup copies what it knows of an org, shown first in a box that axe finds no fault with', async () => {
  const org = 'initech.okta.com';
  const now = Date.now();
  await writeLocal(browser.context, {
    [`org:${org}`]: {
      schema: 1, org, step: 'test-api', startedAt: now - 60_000, updatedAt: now, consented: true,
      expectedAccount: `${EMAIL_NAME}@initech.onmicrosoft.com`, accountUsed: `${EMAIL_NAME}@initech.onmicrosoft.com`,
      history: [{ step: 'applications', at: now - 60_000 }, { step: 'test-api', at: now }],
    },
  });
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const EN = messages('en');
  for (const scheme of ['light', 'dark']) {
    const popup = await openPopup(browser.context, scheme);
    const log = recordConsole(popup);
    try {
      await popup.check(`#orgs input[value="${org}"]`);
      const toggle = popup.locator('#diagnostics');
      assert.equal((await toggle.innerText()).trim(), EN.popup_diagnostics.message);
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      await toggle.click();
      await popup.locator('#diagnostics-box').waitFor();
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      assert.equal((await toggle.innerText()).trim(), EN.popup_diagnostics_hide.message);
      const preview = await popup.locator('#diagnostics-text').textContent();
      const report = parseDiagnostics(preview);
      assert.equal(report.kind, 'popup');
      assert.equal(report.org, org);
      assert.equal(report.progress.step, 'test-api');
      assert.deepEqual(report.progress.history.map((h) => h.step), ['applications', 'test-api']);
      assert.equal(report.progress.expected_account_domain, 'initech.onmicrosoft.com');
      assert.match(report.environment.browser, /^Chrome \d+/);
      assert.ok(report.environment.extension_version.length > 0);
      assert.ok(!preview.includes(EMAIL_NAME), `the account's name is in the popup's diagnostics:\n${preview}`);
      assert.deepEqual(await axeViolations(popup), [], `${scheme}: popup with the diagnostics box open`);
      await popup.click('#diagnostics-copy');
      await popup.waitForFunction((org) => document.getElementById('message').textContent.includes(org), org);
      assert.equal(await popup.evaluate(() => navigator.clipboard.readText()), preview, 'Copy copies exactly what the box shows');
      await toggle.click();
      assert.ok(await popup.locator('#diagnostics-box').isHidden());
    } catch (error) {
      error.message += `\n--- console ---\n${log.join('\n')}`;
      throw error;
    } finally {
      await popup.close();
    }
  }
});

test('"Copy diagnostics" is among the card\'s actions when the target cannot be found, in Dutch too', async () => {
  // A stored step whose target the dashboard does not show: after the search time, not found.
  const NL = messages('nl');
  const dutch = await launchBrowser(server, { locale: 'nl' });
  try {
    const now = Date.now();
    await writeLocal(dutch.context, { 'org:umbrella.okta.com': { schema: 1, org: 'umbrella.okta.com', step: 'test-api', startedAt: now, updatedAt: now, consented: true, history: [{ step: 'test-api', at: now }] } });
    server.csp[ORG_HOST('umbrella')] = 'none';
    // An Office 365 app page that shows nothing the guide knows: it stays at its step, searching.
    const path = '/admin/app/office365/instance/0oa1prov365/';
    server.pages[ORG_HOST('umbrella') + path] = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Office 365</title></head><body><main><h1>Microsoft Office 365</h1><p>A page of a console the guide does not know.</p></main></body></html>';
    const page = await dutch.context.newPage();
    await page.goto(`https://${ORG_HOST('umbrella')}${path}`);
    await waitForStep(page, 'test-api', { state: 'not-found', timeout: 20_000 });
    const text = await cardText(page);
    assert.ok(text.includes(NL.ui_diagnostics.message), `card: ${text}`);
    const report = parseDiagnostics(await openDiagnostics(page));
    assert.equal(report.state, 'not-found');
    assert.equal(report.environment.messages_language, 'nl');
    assert.ok(report.targets.some((t) => t.kind === 'target' && t.label === 'target_test_api'), JSON.stringify(report.targets.map((t) => t.label)));
    assert.ok(await cardText(page).then((t) => t.includes(NL.ui_diagnostics_intro.message)), 'the box explains itself in Dutch');
  } finally {
    delete server.pages[`${ORG_HOST('umbrella')}/admin/app/office365/instance/0oa1prov365/`];
    await dutch.close();
  }
});
