// No secrets, no network of its own: a full flow with a known password (typed into Okta's Admin
// Password field and Microsoft's password field) and a known one-time code; afterwards neither
// appears in any extension storage, in any node the extension created (closed shadow root
// included, read through CDP) or in its console output. Every request made while the guide runs
// is the replicas' own or a packaged file of the extension.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { recordConsole, EXTENSION_ID, EXTENSION_DIR, withFixtures } from './harness.mjs';
import { clickMarked, typeInto, waitForStep } from './guide.mjs';
import { openProvisionedInstance, ORG_HOST } from './walk.mjs';
import { dumpStorage, piercedDocument, walkNodes, nodeStrings, findGuide } from './inspect.mjs';

const PASSWORD = 'Pw-7q!Zebra-Lantern-4491';
const CODE = '73925148';
const ORG = 'acme';
const FIXTURE_HOSTS = new Set([ORG_HOST(ORG), 'login.microsoftonline.com']);

let server, browser;
withFixtures((env) => ({ server, browser } = env));

/** Fails when a secret appears anywhere in the page's DOM (shadow roots and frames included). */
async function assertNoSecretInDom(page, where) {
  const { root } = await piercedDocument(page);
  const guide = findGuide(root);
  assert.ok(guide, `${where}: the guide's root is in the page`);
  assert.ok(guide.shadowRoots?.length, `${where}: CDP sees inside the guide's closed shadow root`);
  let guideNodes = 0;
  for (const { node } of walkNodes(guide)) {
    guideNodes++;
    for (const text of nodeStrings(node)) {
      assert.ok(!text.includes(PASSWORD) && !text.includes(CODE), `${where}: guide node <${node.nodeName}> holds a secret: ${text}`);
    }
  }
  assert.ok(guideNodes > 10, `${where}: only ${guideNodes} guide nodes seen`);
  // Marks on page elements, and any other attribute anywhere.
  for (const { node, path } of walkNodes(root)) {
    for (const text of nodeStrings(node)) {
      if (text.includes(PASSWORD) || text.includes(CODE)) {
        assert.fail(`${where}: <${node.nodeName}> under ${path.map((n) => n.nodeName).join('>')} holds a secret: ${text}`);
      }
    }
  }
}

test('a full flow with a password and a one-time code leaves neither in storage, DOM or console', async () => {
  const context = browser.context;
  const requests = [];
  context.on('request', (r) => requests.push({ url: r.url(), type: r.resourceType(), nav: r.isNavigationRequest(), method: r.method() }));
  server.csp[ORG_HOST(ORG)] = 'strict';
  const page = await context.newPage();
  const log = recordConsole(page);
  try {
    // Microsoft's replica asks for a one-time code from now on (the knob is remembered).
    await page.goto('https://login.microsoftonline.com/?replica.mfa=1');
    await page.goto(`https://${ORG_HOST(ORG)}/admin/dashboard?lang=en`);
    await clickMarked(page, 'applications', '[data-se=o-side-nav-item-APPLICATIONS] button');
    await clickMarked(page, 'applications', '#nav-admin-apps-2');
    await openProvisionedInstance(page);
    await clickMarked(page, 'provisioning-tab', '#tab-provisioning');
    await clickMarked(page, 'integration', '[data-se=settings-nav-integration]');
    await clickMarked(page, 'edit', 'a.link-button');
    await waitForStep(page, 'reauthenticate');
    // The admin types the Office 365 admin password into Okta's form, as Okta asks.
    await page.locator('input[type=password]').first().click();
    await page.keyboard.type(PASSWORD, { delay: 5 });
    await page.waitForTimeout(400);
    await assertNoSecretInDom(page, 'Okta, password typed');
    await clickMarked(page, 'reauthenticate', 'input[type=button][data-se=o365-authenticate]');
    await page.waitForURL(/login\.microsoftonline\.com/);

    await typeInto(page, 'microsoft-sign-in', 'input[name=loginfmt]', `admin@${ORG}.onmicrosoft.com`);
    await clickMarked(page, 'microsoft-sign-in', '#idSIButton9');
    await typeInto(page, 'microsoft-sign-in', 'input[name=passwd]', PASSWORD);
    await page.waitForTimeout(400);
    await assertNoSecretInDom(page, 'Microsoft, password typed');
    await clickMarked(page, 'microsoft-sign-in', '#idSIButton9');
    await typeInto(page, 'microsoft-sign-in', '#otc', CODE);
    await page.waitForTimeout(400);
    await assertNoSecretInDom(page, 'Microsoft, code typed');
    // While the secrets are in the page's fields, storage must not have them either.
    const midway = JSON.stringify(await dumpStorage(context));
    assert.ok(!midway.includes(PASSWORD) && !midway.includes(CODE), `storage mid-flow holds a secret: ${midway}`);
    await clickMarked(page, 'microsoft-sign-in', '#idSubmit_SAOTCC_Continue');
    await clickMarked(page, 'microsoft-sign-in', '#idSIButton9'); // Stay signed in?
    await clickMarked(page, 'consent', '#idSIButton9');

    await page.waitForURL(/acme-admin\.okta\.com/);
    await clickMarked(page, 'test-api', '#m-verify-button');
    await waitForStep(page, 'checkmarks', { state: 'done' });
    await clickMarked(page, 'save', '[id="userMgmtSettings.button.submit"]');
    await waitForStep(page, 'done', { state: 'done' });
    await assertNoSecretInDom(page, 'Okta, flow done');

    const stored = await dumpStorage(context);
    const text = JSON.stringify(stored);
    // The dump is real: the finished record is in it.
    assert.equal(stored.local['org:acme.okta.com']?.step, 'done', `storage dump: ${text}`);
    assert.ok(!text.includes(PASSWORD), `the password is in extension storage: ${text}`);
    assert.ok(!text.includes(CODE), `the one-time code is in extension storage: ${text}`);
    const consoleText = log.join('\n');
    assert.ok(!consoleText.includes(PASSWORD) && !consoleText.includes(CODE), `a secret reached the console:\n${consoleText}`);
  } catch (error) {
    error.message += `\n--- console ---\n${log.join('\n')}`;
    throw error;
  } finally {
    await page.close();
  }

  // Network: the content script's own requests are visible to the interception (the engine
  // files), and they are the only requests that are not the replicas' own.
  const own = requests.filter((r) => r.url.startsWith('chrome-extension://'));
  // (Both sites refuse WebAssembly here: the JS engine is what loads.)
  assert.ok(own.some((r) => r.url.endsWith('/engine/reauth_guide_js.js')), `engine load not seen: ${JSON.stringify(requests.map((r) => r.url))}`);
  for (const r of own) {
    const url = new URL(r.url);
    assert.equal(url.host, EXTENSION_ID, `request to another extension: ${r.url}`);
    assert.equal(r.method, 'GET', `${r.method} ${r.url}`);
    assert.ok(existsSync(join(EXTENSION_DIR, decodeURIComponent(url.pathname))), `not a packaged file: ${r.url}`);
  }
  for (const r of requests.filter((r) => !r.url.startsWith('chrome-extension://'))) {
    const url = new URL(r.url);
    assert.ok(['https:', 'data:'].includes(url.protocol), `unexpected request: ${r.url}`);
    if (url.protocol === 'data:') continue;
    assert.ok(FIXTURE_HOSTS.has(url.hostname), `request to a host that is not a replica: ${r.url}`);
    // The replicas never fetch: every request is a page load or one of their static assets.
    const favicon = r.type === 'other' && /\/favicon\.svg$/.test(url.pathname);
    assert.ok(r.nav || favicon || ['stylesheet', 'script', 'image', 'font'].includes(r.type), `a ${r.type} request the replica page does not make: ${r.method} ${r.url}`);
    assert.equal(r.method, 'GET', `${r.method} ${r.url}`);
  }
  // The server saw the same: only GETs of the replicas' pages and files, nothing else.
  for (const s of server.requests) {
    assert.equal(s.method, 'GET', `server saw ${s.method} ${s.host}${s.path}`);
    assert.ok(FIXTURE_HOSTS.has(s.host), `server saw a request for ${s.host}${s.path}`);
    // The browser fetches a page's favicon by itself, and Playwright does not always report it.
    const browserFavicon = /\/favicon\.svg$/.test(s.path);
    assert.ok(browserFavicon || requests.some((r) => { const u = new URL(r.url); return u.hostname === s.host && u.pathname + u.search === s.path; }),
      `server saw a request the page did not make: ${s.host}${s.path}`);
  }
});
