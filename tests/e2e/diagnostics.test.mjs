// Field diagnostics never carry a secret. On every screen of the walk (dialect A replicas) the
// admin types a password, a one-time code and an e-mail address (into the page's own fields:
// Okta's top-bar search and Admin Password, Microsoft's account, password and code fields), then
// opens "Copy diagnostics" on every step and copies it: neither the box nor the clipboard holds
// any of them, nor the OAuth code Microsoft sent back; the e-mail address appears at most as its
// domain. Both engines on Okta (server.csp 'none' → wasm, 'strict' → js); Microsoft's page is js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordConsole, withFixtures } from './harness.mjs';
import { clickMarked, expectMarked, typeInto, waitForStep, guideState } from './guide.mjs';
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
