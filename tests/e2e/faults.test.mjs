// Faults during the flow: browser back and forward, the tab closed and the console opened again,
// two tabs of one org, a browser restart with the same profile, the extension reloaded under a
// running guide, bad stored progress, and a Rust panic. (A reload at each step is in flow.test.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, EXTENSION_ID, withFixtures, onPage as onPageOf } from './harness.mjs';
import { ROOT, clickMarked, expectMarked, waitForStep, guideState } from './guide.mjs';
import { walkOktaToMicrosoft, walkMicrosoft, walkBackInOkta, openProvisionedInstance, ORG_HOST } from './walk.mjs';
import { extensionPage, readLocal, writeLocal, waitForGuideText } from './inspect.mjs';

const TMP = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '.tmp');
const NAV_APPS = '[data-se=o-side-nav-item-APPLICATIONS] button';
const RESET_CORRUPT = 'The saved progress for this org could not be read, so it was reset.';
const RESET_SCHEMA = 'The saved progress came from another version of the extension, so it was reset.';
const OTHER_TAB = JSON.parse(readFileSync(new URL('../../extension/_locales/en/messages.json', import.meta.url), 'utf8')).ui_other_tab.message;

let server, browser;
withFixtures((env) => ({ server, browser } = env));

/** Runs `fn(page, log)` on a fresh tab (of the file's browser unless another is given). */
const onPage = (fn, context = browser.context) => onPageOf(context, fn);

const guideCount = (page) => page.evaluate((root) => document.querySelectorAll(root).length, ROOT);
const extensionErrors = (log) => log.filter((l) => /^(error|warning):.*o365-reauth-guide/.test(l) || l.startsWith('pageerror'));

/** From the dashboard to the app's page, where the Provisioning tab is the step. */
async function toAppPage(page, org) {
  await page.goto(`https://${ORG_HOST(org)}/admin/dashboard?lang=en`);
  await clickMarked(page, 'applications', NAV_APPS);
  await clickMarked(page, 'applications', '#nav-admin-apps-2');
  await openProvisionedInstance(page);
}

test('browser back and forward: the guide follows the page and the flow continues', async () => {
  await onPage(async (page, log) => {
    const org = 'initech';
    await toAppPage(page, org);
    await page.goBack(); // the Applications list (a pushState entry), its search box empty again
    await expectMarked(page, 'find-app', 'input[placeholder]');
    assert.equal(await guideCount(page), 1, 'one guide after back');
    await openProvisionedInstance(page);
    await clickMarked(page, 'provisioning-tab', '#tab-provisioning');
    await clickMarked(page, 'integration', '[data-se=settings-nav-integration]');
    await clickMarked(page, 'edit', 'a.link-button');
    await clickMarked(page, 'reauthenticate', 'input[type=button][data-se=o365-authenticate]');
    await page.waitForURL(/login\.microsoftonline\.com/);
    await expectMarked(page, 'microsoft-sign-in', 'input[name=loginfmt]');
    // Back to Okta from Microsoft's page (a page load): one guide, on an Okta step.
    await page.goBack();
    await page.waitForURL(new RegExp(ORG_HOST(org)));
    await page.waitForSelector(`${ROOT}[data-step]`);
    assert.equal(await guideCount(page), 1, 'one guide after back to Okta');
    // The guide follows the page back to an Okta step (polled: a loaded machine is slower).
    const okta = ['provisioning-tab', 'integration', 'edit', 'reauthenticate'];
    await page.waitForFunction((steps) => steps.includes(document.querySelector('#o365-reauth-guide')?.dataset.step), okta, { timeout: 5000 })
      .catch(() => {});
    const { step } = await guideState(page);
    assert.ok(okta.includes(step), `step after back: ${step}`);
    // Forward to Microsoft again (a page load): the sign-in is guided and the flow finishes.
    await page.goForward();
    await page.waitForURL(/login\.microsoftonline\.com/);
    await expectMarked(page, 'microsoft-sign-in', 'input[name=loginfmt]');
    await walkMicrosoft(page, { account: `admin@${org}.onmicrosoft.com` });
    await walkBackInOkta(page, { org });
    assert.deepEqual(extensionErrors(log), []);
  });
});

test('browser forward inside Okta (no page load) moves the guide on with the page', {
}, async () => {
  await onPage(async (page) => {
    await toAppPage(page, 'initrode');
    await page.goBack();
    await expectMarked(page, 'find-app', 'input[placeholder]');
    await page.goForward();
    await expectMarked(page, 'provisioning-tab', '#tab-provisioning');
  });
});

test('the tab closed mid-flow: opening the console again resumes the same flow', async () => {
  const org = 'hooli';
  let before;
  await onPage(async (page) => {
    await toAppPage(page, org);
    await clickMarked(page, 'provisioning-tab', '#tab-provisioning');
    await expectMarked(page, 'integration', '[data-se=settings-nav-integration]');
    before = (await readLocal(browser.context, `org:${org}.okta.com`))[`org:${org}.okta.com`];
    assert.equal(before?.step, 'integration', `stored: ${JSON.stringify(before)}`);
  });
  await onPage(async (page, log) => {
    await page.goto(`https://${ORG_HOST(org)}/admin/dashboard`);
    await expectMarked(page, 'applications', NAV_APPS);
    const after = (await readLocal(browser.context, `org:${org}.okta.com`))[`org:${org}.okta.com`];
    assert.equal(after.startedAt, before.startedAt, 'the same flow, not a new one');
    assert.ok(after.history.some((h) => h.step === 'integration'), `history kept: ${JSON.stringify(after.history)}`);
    // The admin finds the way again and the same flow carries on.
    await toAppPage(page, org);
    await clickMarked(page, 'provisioning-tab', '#tab-provisioning');
    await clickMarked(page, 'integration', '[data-se=settings-nav-integration]');
    await expectMarked(page, 'edit', 'a.link-button');
    const later = (await readLocal(browser.context, `org:${org}.okta.com`))[`org:${org}.okta.com`];
    assert.equal(later.startedAt, before.startedAt);
    assert.deepEqual(extensionErrors(log), []);
  });
});

test('the console reopened straight on the Provisioning tab (a bookmark) resumes at Integration', {
}, async () => {
  const org = 'vandelay';
  await onPage(async (page) => {
    await page.goto(`https://${ORG_HOST(org)}/admin/dashboard`);
    await expectMarked(page, 'applications', NAV_APPS);
    await page.goto(`https://${ORG_HOST(org)}/admin/app/office365/instance/0oa1prov365/#tab-provisioning`);
    await expectMarked(page, 'integration', '[data-se=settings-nav-integration]');
  });
});

test('two tabs of one org: one guides, the other says the flow continues in another tab', {
}, async () => {
  const org = 'umbrella';
  const first = await browser.context.newPage();
  const second = await browser.context.newPage();
  try {
    await first.goto(`https://${ORG_HOST(org)}/admin/dashboard`);
    await expectMarked(first, 'applications', NAV_APPS);
    await second.goto(`https://${ORG_HOST(org)}/admin/dashboard`);
    await waitForStep(second, 'applications');
    await second.waitForTimeout(1500);
    const marks = async (p) => p.evaluate(() => document.querySelectorAll('[data-reauth-step]').length);
    const [a, b] = [await marks(first), await marks(second)];
    assert.equal(a + b, 1, `exactly one tab highlights (first ${a}, second ${b})`);
    const quiet = a ? second : first;
    const text = await waitForGuideText(quiet, (t) => t.includes(OTHER_TAB), 5000);
    assert.ok(text?.includes(OTHER_TAB), `the other tab's card says: ${text}`);
  } finally {
    await first.close();
    await second.close();
  }
});

test('a browser restart with the same profile mid-flow resumes at Microsoft and finishes', async () => {
  const org = 'globex';
  const profileDir = mkdtempSync(join(TMP, 'profile-restart-'));
  let restarted;
  try {
    const first = await launchBrowser(server, { profileDir });
    let signInUrl;
    try {
      await onPage(async (page) => {
        await walkOktaToMicrosoft(page, { org });
        await expectMarked(page, 'microsoft-sign-in', 'input[name=loginfmt]');
        signInUrl = page.url();
      }, first.context);
    } finally {
      await first.close();
    }
    restarted = await launchBrowser(server, { profileDir });
    const stored = (await readLocal(restarted.context, `org:${org}.okta.com`))[`org:${org}.okta.com`];
    assert.equal(stored?.step, 'microsoft-sign-in', `progress survived the restart: ${JSON.stringify(stored)}`);
    await onPage(async (page, log) => {
      await page.goto(signInUrl); // the browser restores the tab
      await expectMarked(page, 'microsoft-sign-in', 'input[name=loginfmt]');
      await walkMicrosoft(page, { account: `admin@${org}.onmicrosoft.com` });
      await walkBackInOkta(page, { org });
      assert.deepEqual(extensionErrors(log), []);
    }, restarted.context);
  } finally {
    await restarted?.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
});

test('the extension reloaded mid-flow: the orphaned guide removes its overlay and stops quietly', async () => {
  const org = 'acme';
  // Its own browser: Chromium does not bring a command-line extension back after
  // runtime.reload() (its pages then answer ERR_BLOCKED_BY_CLIENT), which is the orphan's case.
  const own = await launchBrowser(server);
  try {
    await orphanTest(own.context, org);
  } finally {
    await own.close();
  }
});

async function orphanTest(context, org) {
  await onPage(async (page, log) => {
    await page.goto(`https://${ORG_HOST(org)}/admin/dashboard`);
    await clickMarked(page, 'applications', NAV_APPS);
    await expectMarked(page, 'applications', '#nav-admin-apps-2');
    const linesBefore = log.length;
    // Reload the extension as an update does: from its own page.
    const ext = await extensionPage(context);
    await ext.evaluate(() => setTimeout(() => chrome.runtime.reload(), 50));
    await ext.waitForEvent('close', { timeout: 5000 }).catch(() => ext.close());
    await page.waitForTimeout(1000);
    // The admin keeps working on the page (a key press): the orphan notices and cleans up.
    await page.keyboard.press('Shift');
    await page.waitForFunction(() => !document.querySelector('#o365-reauth-guide') && !document.querySelector('[data-reauth-step]'), null, { timeout: 5000 })
      .catch(() => {});
    const left = await page.evaluate(() => ({
      roots: document.querySelectorAll('#o365-reauth-guide').length,
      marks: document.querySelectorAll('[data-reauth-step]').length,
    }));
    assert.deepEqual(left, { roots: 0, marks: 0 }, 'the orphaned guide left traces');
    // The page still works, and the orphan does not come back.
    await page.locator('#nav-admin-apps-2').click();
    await page.waitForURL(/\/admin\/apps\/active/);
    await page.waitForTimeout(500);
    assert.equal(await guideCount(page), 0, 'the orphan drew again');
    const after = log.slice(linesBefore);
    assert.deepEqual(after.filter((l) => !l.startsWith('debug:')).filter((l) => /o365-reauth-guide|pageerror/.test(l)).map((l) => l.replace(/:.*/, '')),
      ['info'], `expected one info line:\n${after.join('\n')}`);
  }, context);
}

const BAD_RECORDS = {
  garbage: ['{"schema":1,"org":"acme.ok', RESET_CORRUPT],
  'a number': [42, RESET_CORRUPT],
  'wrong schema': [{ schema: 99, org: 'acme.okta.com', step: 'applications', startedAt: 1, updatedAt: 1, somethingNew: [1] }, RESET_SCHEMA],
  'a truncated object': [{ schema: 1, org: 'acme.okta.com' }, RESET_CORRUPT],
  'an unknown step id': [{ schema: 1, org: 'acme.okta.com', step: 'launch-rockets', startedAt: 1, updatedAt: 1 }, RESET_CORRUPT],
  'wrong types': [{ schema: '1', org: ['acme.okta.com'], step: 7, startedAt: 'yesterday', updatedAt: null }, RESET_CORRUPT],
  'another org under this key': [{ schema: 1, org: 'evil.okta.com', step: 'save', startedAt: 1, updatedAt: 1 }, RESET_CORRUPT],
};

for (const [name, [value, notice]] of Object.entries(BAD_RECORDS)) {
  test(`bad stored progress (${name}) is reset with a visible notice, and the guide works`, async () => {
    await writeLocal(browser.context, { 'org:acme.okta.com': value, active: 'acme.okta.com' });
    await onPage(async (page, log) => {
      await page.goto(`https://${ORG_HOST('acme')}/admin/dashboard`);
      const text = await waitForGuideText(page, (t) => t.includes(notice));
      assert.ok(text?.includes(notice), `the card shows the reset notice; it says: ${text}`);
      await clickMarked(page, 'applications', NAV_APPS);
      await expectMarked(page, 'applications', '#nav-admin-apps-2');
      const stored = (await readLocal(browser.context, 'org:acme.okta.com'))['org:acme.okta.com'];
      assert.equal(stored?.schema, 1, `a fresh record replaced the bad one: ${JSON.stringify(stored)}`);
      assert.equal(stored?.org, 'acme.okta.com');
      assert.equal(stored?.step, 'applications');
      assert.ok(!log.some((l) => /^error:|pageerror/.test(l)), `no error:\n${log.join('\n')}`);
    });
  });
}

test('bad progress written while the guide runs (another tab, a sync) is reset with a notice', async () => {
  await writeLocal(browser.context, { 'org:acme.okta.com': null });
  await onPage(async (page, log) => {
    await page.goto(`https://${ORG_HOST('acme')}/admin/dashboard`);
    await expectMarked(page, 'applications', NAV_APPS);
    await writeLocal(browser.context, { 'org:acme.okta.com': { schema: 1, org: 'acme.okta.com', step: 'warp-drive' } });
    const text = await waitForGuideText(page, (t) => t.includes(RESET_CORRUPT));
    assert.ok(text?.includes(RESET_CORRUPT), `card: ${text}`);
    await expectMarked(page, 'applications', NAV_APPS);
    assert.ok(!log.some((l) => /^error:|pageerror/.test(l)), log.join('\n'));
  });
});

/**
 * A real panic of the shipped engine, provoked from outside: through CDP, in the content script's
 * own isolated world only, `document.documentElement` is made to answer null, which the guide's
 * reading of the Office 365 app page treats as impossible (`expect`). The page's own world is
 * untouched. Nothing in the extension is test-only; the instrumentation lives in this test.
 */
async function armPanic(page) {
  const cdp = await page.context().newCDPSession(page);
  const contexts = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
  await cdp.send('Runtime.enable');
  await page.waitForTimeout(200);
  const world = contexts.find((c) => c.origin === `chrome-extension://${EXTENSION_ID}` && c.auxData?.isDefault === false && c.auxData?.frameId === contexts.find((d) => d.auxData?.isDefault)?.auxData?.frameId)
    ?? contexts.find((c) => c.origin === `chrome-extension://${EXTENSION_ID}`);
  assert.ok(world, `the content script's world: ${JSON.stringify(contexts.map((c) => [c.name, c.origin, c.auxData]))}`);
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
    contextId: world.id,
    returnByValue: true,
    expression: `(() => {
      Object.defineProperty(Document.prototype, 'documentElement', { configurable: true, get() { return null; } });
      return document.documentElement;
    })()`,
  });
  await cdp.detach();
  assert.equal(exceptionDetails, undefined, JSON.stringify(exceptionDetails));
  assert.equal(result.value, null);
}

for (const engine of ['js', 'wasm']) {
  test(`a Rust panic (${engine} engine) is reported readably, the overlay is removed, the page keeps working`, async () => {
    const org = engine === 'js' ? 'panicjs' : 'panicwasm';
    server.csp[ORG_HOST(org)] = engine === 'wasm' ? 'none' : 'strict';
    await onPage(async (page, log) => {
      await page.goto(`https://${ORG_HOST(org)}/admin/app/office365/instance/0oa1prov365/`);
      // A fresh load of the app page is followed: the Provisioning tab is next.
      await expectMarked(page, 'provisioning-tab', '#tab-provisioning');
      assert.equal((await guideState(page)).engine, engine);
      await armPanic(page);
      // The admin opens the Provisioning tab: the guide reads the app page again, and panics.
      await page.locator('#tab-provisioning').click();
      await page.waitForFunction(() => !document.querySelector('#o365-reauth-guide'), null, { timeout: 5000 }).catch(() => {});
      const left = await page.evaluate(() => ({
        roots: document.querySelectorAll('#o365-reauth-guide').length,
        marks: document.querySelectorAll('[data-reauth-step]').length,
      }));
      assert.deepEqual(left, { roots: 0, marks: 0 }, 'the panicked guide left its overlay or marks');
      const reported = log.filter((l) => l.startsWith('error:') && l.includes('[o365-reauth-guide]'));
      assert.equal(reported.length, 1, `one readable error line:\n${log.join('\n')}`);
      assert.match(reported[0], /The guide stopped because of an error: .*panicked at .*document element/s);
      // The page keeps working, without the guide.
      if (!(await page.locator('#nav-admin-apps-2').isVisible())) await page.locator(NAV_APPS).click();
      await page.locator('#nav-admin-apps-2').click();
      await page.waitForURL(/\/admin\/apps\/active/);
      await page.locator('input[placeholder]').fill('Office');
      await page.waitForSelector("a[href*='/instance/0oa1prov365/']");
      await page.waitForTimeout(300);
      assert.equal(await guideCount(page), 0, 'the guide came back after its panic');
    });
  });
}
