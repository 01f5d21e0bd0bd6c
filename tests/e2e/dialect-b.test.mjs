// The guided re-authentication on dialect B (tests/fixtures/dialect-b): a second, independently
// written replica of the consoles (Odyssey shell in an open shadow root, hash-routed Provisioning,
// icon-font check marks, a pop-up hand-off, Microsoft rendered one screen per page load with a
// nonce'd $Config). Same marker contract as flow.test.mjs. Run: node --test dialect-b.test.mjs
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { mkdirSync, appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, recordConsole, withFixtures } from './harness.mjs';
import { cardText, guideState, marked } from './guide.mjs';
import {
  ORG_HOST, SEL, DEEP, oktaUrl, walkOktaToReauthenticate, handOff, signInAtMicrosoft, acceptAtMicrosoft,
  backToOkta, testAndSave, saveToDone, strict, survey,
} from './walk-b.mjs';

// By default each test surveys the whole roadmap: every step the guide gets wrong is recorded and
// the walk goes on by clicking the page element itself; the test then fails listing them all.
// DIALECT_B_STRICT=1 stops at the first wrong step instead (like flow.test.mjs); DIALECT_B_TIMEOUT
// sets the survey's wait per step (ms). Each failure is also appended to tests/.tmp/dialect-b-baseline.jsonl.
const STRICT = process.env.DIALECT_B_STRICT === '1';
const SURVEY_TIMEOUT = Number(process.env.DIALECT_B_TIMEOUT || 4000); // ms per surveyed step

const BASELINE = join(dirname(fileURLToPath(import.meta.url)), '..', '.tmp', 'dialect-b-baseline.jsonl');

let server, browser, dutch;
withFixtures((env) => {
  ({ server, browser } = env);
  server.dialect = 'b';
});
/** A second browser whose UI language is Dutch (Accept-Language: nl), started on first use. */
async function dutchBrowser() {
  dutch ??= await launchBrowser(server, { locale: 'nl' });
  return dutch;
}
after(async () => { await dutch?.close(); });

/** Where the guide stands on a page, for failure reports. */
async function where(page) {
  if (page.isClosed()) return { closed: true };
  const guide = await guideState(page).catch(() => null);
  const marks = await marked(page, DEEP).catch(() => null);
  return { url: page.url(), guide, marked: marks };
}

/**
 * Runs `body(page, pages)` on a fresh page; every page it opens (pop-ups) is tracked. On failure,
 * the message gets what the pages logged and where the guide stood (also appended to
 * tests/.tmp/dialect-b-baseline.jsonl).
 */
function withPage(name, body, { locale = 'en' } = {}) {
  return async () => {
    const page = await (locale === 'nl' ? await dutchBrowser() : browser).context.newPage();
    const pages = [page];
    const log = recordConsole(page);
    page.on('popup', (p) => { pages.push(p); p.on('console', (m) => log.push(`[popup] ${m.type()}: ${m.text()}`)); });
    const wrong = [];
    const g = STRICT ? strict : survey(wrong, { timeout: SURVEY_TIMEOUT });
    server.msKnobs = {};
    let failure = null;
    try {
      await body(page, g);
    } catch (error) {
      failure = error;
    }
    try {
      if (failure || wrong.length) {
        const state = [];
        for (const p of pages) state.push(await where(p));
        mkdirSync(dirname(BASELINE), { recursive: true });
        appendFileSync(BASELINE, `${JSON.stringify({ test: name, at: new Date().toISOString(), wrong, error: failure ? failure.message.split('\n')[0].slice(0, 600) : null, pages: state })}\n`);
        const error = failure || new Error(`the guide got ${wrong.length} step(s) wrong:\n${wrong.map((w) => `  - ${w.step}: expected ${w.expected}; guide ${JSON.stringify(w.guide)}; marked ${JSON.stringify(w.marked)}`).join('\n')}`);
        if (failure && wrong.length) error.message += `\n--- steps the guide got wrong before ---\n${wrong.map((w) => `  - ${w.step}: guide ${JSON.stringify(w.guide)}`).join('\n')}`;
        error.message += `\n--- pages at the end ---\n${JSON.stringify(state)}\n--- console ---\n${log.slice(-30).join('\n')}`;
        throw error;
      }
    } finally {
      server.msKnobs = {};
      for (const p of pages) if (!p.isClosed()) await p.close();
    }
  };
}

const engineFor = (org, engine) => { server.csp[ORG_HOST(org)] = engine === 'wasm' ? 'none' : 'strict'; };

async function microsoftRunsJs(ms, g) {
  await g.step(ms, 'microsoft-sign-in');
  const engine = (await guideState(ms))?.engine;
  if (engine) assert.equal(engine, 'js', 'Microsoft pages forbid wasm: the JS engine runs there');
}

// ------------------------------------------------------------------ fixture self-checks (no guide)

test('fixture: every Microsoft page carries a fresh nonce in its CSP and its $Config script', async () => {
  const get = (path) => new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, rejectUnauthorized: false, headers: { host: 'login.microsoftonline.com' } }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ csp: res.headers['content-security-policy'], body }));
    });
    req.on('error', reject);
    req.end();
  });
  const path = `/common/oauth2/v2.0/authorize?client_id=x&response_type=code&state=s&redirect_uri=${encodeURIComponent('https://acme-admin.okta.com/admin/app/office365/oauth/callback')}`;
  const one = await get(path);
  const two = await get(path);
  const nonce = (r) => r.csp.match(/'nonce-([^']+)'/)[1];
  assert.notEqual(nonce(one), nonce(two));
  assert.match(one.body, new RegExp(`<script type="text/javascript" nonce="${nonce(one).replace(/[+/=]/g, '\\$&')}">//<!\\[CDATA\\[\\n\\$Config=\\{"pgid":"ConvergedSignIn"`));
  assert.match(one.csp, /require-trusted-types-for 'script'/);
  const bad = await get('/common/oauth2/v2.0/authorize');
  assert.match(bad.body, /"pgid":"ConvergedError".*"iErrorCode":900144/);
});

test('fixture: the pop-up hand-off updates the opener in place (driven without the guide)', withPage('fixture popup', async (page) => {
  const org = 'bfixture';
  await page.goto(oktaUrl(org, `/admin/app/office365/instance/0oa1b365prov/`, { handoff: 'popup' }));
  await page.click(SEL.provisioningTab);
  await page.click(SEL.integration);
  await page.click(SEL.edit);
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.click(SEL.reauthenticate)]);
  await popup.waitForURL(/login\.microsoftonline\.com/);
  const before = page.url();
  await popup.fill(SEL.email, `admin@${org}.onmicrosoft.com`);
  await popup.click(SEL.primary);
  await popup.fill(SEL.password, 'pw');
  const offScreen = await popup.evaluate(() => document.querySelector('input.moveOffScreen[name=loginfmt]').getBoundingClientRect().toJSON());
  assert.ok(offScreen.width > 0 && offScreen.right < 0, 'the off-screen loginfmt has a size but sits left of the viewport');
  await popup.click(SEL.primary);
  await popup.click(SEL.primary); // Stay signed in? Yes
  // The click navigates: wait for the consent page's own $Config rather than read it mid-navigation.
  await popup.waitForFunction(() => window.$Config?.pgid === 'ConvergedConsent', null, { timeout: 10000 });
  await popup.click(SEL.primary); // Accept
  await popup.waitForEvent('close');
  await page.waitForSelector(SEL.testApi);
  assert.equal(page.url(), before, 'no reload, no navigation');
  await page.click(SEL.testApi);
  await page.waitForSelector('.infobox.infobox-confirm.infobox-confirm-fixed');
  assert.equal(await page.locator(`#options ${SEL.checks}`).count(), 2);
  await page.waitForSelector('.infobox-confirm-fixed', { state: 'detached', timeout: 5000 });
}));

// ------------------------------------------------------------------ the whole roadmap

// Dutch: a Dutch browser (extension UI and Accept-Language nl → Microsoft in nl-NL, "Aangevraagde
// machtigingen"); nl-BE also passes ui_locales=nl-BE on to Microsoft ("Machtigingen aangevraagd").
// Okta's console stays English, as the real one does.
const ROADMAPS = [
  { lang: 'en', engine: 'js', handoff: 'redirect', org: 'bacme' },
  { lang: 'nl', engine: 'wasm', handoff: 'redirect', org: 'bglobex' },
  { lang: 'en', engine: 'wasm', handoff: 'popup', org: 'binitech', mfa: 'code' },
  { lang: 'nl-BE', engine: 'js', handoff: 'popup', org: 'bumbrella', mfa: 'number' },
];
for (const { lang, engine, handoff, org, mfa = 'off' } of ROADMAPS) {
  const name = `the whole roadmap in ${lang} on the ${engine} engine, ${handoff === 'popup' ? 'pop-up' : 'same-tab'} hand-off${mfa !== 'off' ? `, MFA ${mfa}` : ''}`;
  test(name, withPage(name, async (page, g) => {
    engineFor(org, engine);
    server.msKnobs = { mfa };
    const knobs = { handoff, ...(lang === 'nl-BE' ? { ui_locales: lang } : {}) };
    const seen = await walkOktaToReauthenticate(page, { org, knobs, g });
    if (seen) assert.equal(seen, engine);
    const ms = await handOff(page, { popup: handoff === 'popup', g });
    await microsoftRunsJs(ms, g);
    if (lang !== 'en') assert.equal(await ms.getAttribute('html', 'lang'), lang === 'nl' ? 'nl-NL' : 'nl-BE');
    await signInAtMicrosoft(ms, { account: `admin@${org}.onmicrosoft.com`, mfa, g });
    await acceptAtMicrosoft(ms, g);
    await backToOkta(page, ms, { org });
    await testAndSave(page, g);
    const last = (await guideState(page))?.engine;
    if (last) assert.equal(last, engine);
  }, { locale: lang.startsWith('nl') ? 'nl' : 'en' }));
}

test('the admin-consent endpoint: Okta gets admin_consent=True and no code', withPage('adminconsent', async (page, g) => {
  const org = 'badmincons';
  await walkOktaToReauthenticate(page, { org, knobs: { msflow: 'adminconsent' }, g });
  const ms = await handOff(page, { g });
  await signInAtMicrosoft(ms, { account: `admin@${org}.onmicrosoft.com`, g });
  await acceptAtMicrosoft(ms, g);
  await backToOkta(page, ms, { org });
  await testAndSave(page, g);
}));

// ------------------------------------------------------------------ branches

test('branch wrong-account: a non-admin account gets "Need admin approval" (ConvergedError 90094); the admin signs in again', withPage('wrong-account', async (page, g) => {
  const org = 'bwrongacct';
  await walkOktaToReauthenticate(page, { org, g });
  const ms = await handOff(page, { g });
  await signInAtMicrosoft(ms, { account: `bob@${org}.onmicrosoft.com`, g });
  await g.click(ms, 'microsoft-sign-in', SEL.primary); // Stay signed in? Yes
  await ms.waitForSelector('#errorTitle');
  await g.click(ms, 'wrong-account', SEL.signInWithAdmin);
  await signInAtMicrosoft(ms, { account: `admin@${org}.onmicrosoft.com`, g });
  await acceptAtMicrosoft(ms, g);
  await backToOkta(page, ms, { org });
  await testAndSave(page, g);
}));

for (const handoff of ['redirect', 'popup']) {
  const name = `branch consent-declined (${handoff === 'popup' ? 'pop-up' : 'same tab'}): Cancel returns error=access_denied AADSTS65004; re-authenticate again`;
  test(name, withPage(name, async (page, g) => {
    const org = `bdeclined${handoff === 'popup' ? 'p' : 'r'}`;
    await walkOktaToReauthenticate(page, { org, knobs: { handoff }, g });
    let ms = await handOff(page, { popup: handoff === 'popup', g });
    await signInAtMicrosoft(ms, { account: `admin@${org}.onmicrosoft.com`, g });
    await g.click(ms, 'microsoft-sign-in', SEL.primary);
    await g.mark(ms, 'consent', SEL.primary);
    await ms.click(SEL.consentCancel);
    await backToOkta(page, ms, { org });
    await page.waitForSelector('.o-form-error-box[role=alert]');
    ms = await handOff(page, { popup: handoff === 'popup', step: 'consent-declined', g });
    await signInAtMicrosoft(ms, { account: `admin@${org}.onmicrosoft.com`, g });
    await acceptAtMicrosoft(ms, g);
    await backToOkta(page, ms, { org });
    await testAndSave(page, g);
  }));
}

// The opener keeps showing Re-authenticate all the while: it must not take the flow back (its
// writes used to bounce the step between the two windows and clear the pop-up's typed fields).
test('branch pop-up closed half-way: Okta waits and says how to go on; Re-authenticate again leads through', withPage('popup-closed', async (page, g) => {
  const org = 'bclosedp';
  await walkOktaToReauthenticate(page, { org, knobs: { handoff: 'popup' }, g });
  const first = await handOff(page, { popup: true, g });
  await g.type(first, 'microsoft-sign-in', SEL.email, `admin@${org}.onmicrosoft.com`);
  await first.close();
  await g.step(page, 'microsoft-sign-in', { state: 'waiting' });
  assert.match(await cardText(page), /Re-authenticate with Microsoft Office 365” again/);
  const opened = page.waitForEvent('popup');
  await page.click(SEL.reauthenticate);
  const ms = await opened;
  await ms.waitForURL(/login\.microsoftonline\.com/);
  await signInAtMicrosoft(ms, { account: `admin@${org}.onmicrosoft.com`, g });
  await acceptAtMicrosoft(ms, g);
  await backToOkta(page, ms, { org });
  await testAndSave(page, g);
}));

for (const failure of ['words', 'wordless']) {
  const name = failure === 'words'
    ? 'branch test-failed: "Could not validate … AADSTS50126 …" for a wrong Admin Password, then a passing test'
    : 'branch test-failed, wordless: "Password has expired (AADSTS50055)" in a role=alert error box, then a passing test';
  test(name, withPage(name, async (page, g) => {
    const org = `btestfail${failure === 'words' ? 'w' : 'x'}`;
    await walkOktaToReauthenticate(page, { org, knobs: { failure }, g });
    const ms = await handOff(page, { g });
    await signInAtMicrosoft(ms, { account: `admin@${org}.onmicrosoft.com`, g });
    await acceptAtMicrosoft(ms, g);
    await backToOkta(page, ms, { org });
    await g.mark(page, 'test-api', SEL.testApi);
    await page.click(SEL.adminPassword);
    await page.keyboard.type('wrong-password');
    await g.click(page, 'test-api', SEL.testApi);
    await page.waitForSelector('.o-form-error-box[role=alert]');
    const field = await g.mark(page, 'test-failed', SEL.adminPassword);
    await field.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('the-new-password');
    await g.click(page, 'test-failed', SEL.testApi);
    await g.step(page, 'checkmarks', { state: 'done' });
    await g.mark(page, 'checkmarks', SEL.checks, { count: 2 });
    await saveToDone(page, g);
  }));
}

test('the OAuth-only Integration form (no Admin Username/Password, no Test API Credentials) to done', withPage('oauth-only', async (page, g) => {
  const org = 'boauthonly';
  await walkOktaToReauthenticate(page, { org, knobs: { form: 'oauth' }, g });
  const ms = await handOff(page, { g });
  await signInAtMicrosoft(ms, { account: `admin@${org}.onmicrosoft.com`, g });
  await acceptAtMicrosoft(ms, g);
  await backToOkta(page, ms, { org });
  await page.waitForSelector(`.o365-auth-row ${SEL.checks}`);
  assert.equal(await page.locator(SEL.testApi).count(), 0);
  // No credentials test here: the green check beside the button and Save finish the roadmap.
  await saveToDone(page, g);
}));
