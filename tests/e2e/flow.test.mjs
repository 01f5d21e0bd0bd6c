// The guided re-authentication end to end on the replicas: the whole roadmap in English and
// Dutch on the JS (strict CSP) and wasm (no CSP) engines, each branch, and a reload at every step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { recordConsole, withFixtures } from './harness.mjs';
import { guideState, clickMarked, expectMarked, typeInto, waitForStep, waitForCard } from './guide.mjs';
import { walkOktaToMicrosoft, walkMicrosoft, signInAtMicrosoft, acceptAtMicrosoft, walkBackInOkta, ORG_HOST, SEL } from './walk.mjs';

let server, browser;
withFixtures((env) => ({ server, browser } = env));

/** Runs `body` on a fresh page; on failure, adds what the page logged. */
async function withPage(body) {
  const page = await browser.context.newPage();
  const log = recordConsole(page);
  try {
    await body(page);
  } catch (error) {
    error.message += `\n--- console ---\n${log.join('\n')}`;
    throw error;
  } finally {
    await page.close();
  }
}

for (const [lang, engine, org] of [['en', 'js', 'acme'], ['nl', 'wasm', 'globex'], ['en', 'wasm', 'initech'], ['nl', 'js', 'umbrella']]) {
  test(`the whole roadmap in ${lang} on the ${engine} engine`, () => withPage(async (page) => {
    server.csp[ORG_HOST(org)] = engine === 'wasm' ? 'none' : 'strict';
    const screenshot = lang === 'en' && engine === 'js' ? fileURLToPath(new URL('../../docs/guide.png', import.meta.url)) : undefined;
    await walkOktaToMicrosoft(page, { org, lang, screenshot });
    await waitForStep(page, 'microsoft-sign-in');
    assert.equal((await guideState(page)).engine, 'js', 'Microsoft pages forbid wasm: the JS engine runs there');
    await walkMicrosoft(page, { account: `admin@${org}.onmicrosoft.com` });
    await walkBackInOkta(page, { org });
    assert.equal((await guideState(page)).engine, engine);
  }));
}

test('a reload at every step resumes where the page is', () => withPage(async (page) => {
  const org = 'reload';
  await walkOktaToMicrosoft(page, { org, reload: true });
  await walkMicrosoft(page, { account: `admin@${org}.onmicrosoft.com`, reload: true });
  await walkBackInOkta(page, { org, reload: true });
}));

test('branch wrong-account: a non-admin account is caught and the admin signs in again', () => withPage(async (page) => {
  const org = 'wrongacct';
  await walkOktaToMicrosoft(page, { org });
  // The Admin Username configured in Okta is suggested, and a different account is flagged.
  await waitForCard(page, new RegExp(`admin@${org}\\.onmicrosoft\\.com`));
  await typeInto(page, 'microsoft-sign-in', 'input[name=loginfmt]', `bob@${org}.onmicrosoft.com`);
  await waitForCard(page, new RegExp(`You typed bob@${org}\\.onmicrosoft\\.com, but Okta is configured with admin@${org}`));
  await clickMarked(page, 'microsoft-sign-in', '#idSIButton9');
  await typeInto(page, 'microsoft-sign-in', 'input[name=passwd]', 'hunter2');
  await clickMarked(page, 'microsoft-sign-in', '#idSIButton9');
  await clickMarked(page, 'microsoft-sign-in', '#idSIButton9');
  await waitForCard(page, /needs admin approval|not the Global Administrator/);
  await clickMarked(page, 'wrong-account', 'a, button');
  await signInAtMicrosoft(page, { account: `admin@${org}.onmicrosoft.com` });
  await acceptAtMicrosoft(page);
  await walkBackInOkta(page, { org });
}));

test('branch consent-declined: Cancel on the permissions page leads back to re-authenticate', () => withPage(async (page) => {
  const org = 'declined';
  await walkOktaToMicrosoft(page, { org });
  await signInAtMicrosoft(page, { account: `admin@${org}.onmicrosoft.com` });
  await clickMarked(page, 'microsoft-sign-in', '#idSIButton9');
  await expectMarked(page, 'consent', '#idSIButton9');
  await page.click('#idBtn_Back:visible');
  await page.waitForURL(new RegExp(ORG_HOST(org)));
  await clickMarked(page, 'consent-declined', SEL.reauthenticate);
  await page.waitForURL(/login\.microsoftonline\.com/);
  await signInAtMicrosoft(page, { account: `admin@${org}.onmicrosoft.com` });
  await acceptAtMicrosoft(page);
  await walkBackInOkta(page, { org });
}));

test('branch test-failed: a wrong Admin Password, then the password note, then a passing test', () => withPage(async (page) => {
  const org = 'testfail';
  await walkOktaToMicrosoft(page, { org });
  await walkMicrosoft(page, { account: `admin@${org}.onmicrosoft.com` });
  await page.waitForURL(new RegExp(ORG_HOST(org)));
  await expectMarked(page, 'test-api', SEL.testApi);
  await page.click(SEL.adminPassword);
  await page.keyboard.type('wrong-password');
  await clickMarked(page, 'test-api', SEL.testApi);
  await expectMarked(page, 'test-failed', SEL.adminPassword);
  await waitForCard(page, /Reset it in the Microsoft tenant/);
  // The admin retypes the password; once typed, Test API Credentials is the target again.
  const field = await expectMarked(page, 'test-failed', SEL.adminPassword);
  await field.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('the-new-password');
  await clickMarked(page, 'test-failed', SEL.testApi);
  await waitForStep(page, 'checkmarks', { state: 'done' });
  await clickMarked(page, 'save', SEL.save);
  await waitForStep(page, 'done', { state: 'done' });
}));
