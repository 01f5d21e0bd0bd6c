// The whole roadmap, walked as an admin would on the replicas: only real page elements are
// clicked, never the overlay. Shared by the flow, branch and reload tests.
//
// With `reload: true`, the page is reloaded at every step and the walk checks that the guide
// resumes at the step the reloaded page shows, before going on.
import assert from 'node:assert/strict';
import { clickMarked, expectMarked, typeInto, waitForStep, guideState, overlaySettled } from './guide.mjs';

export const ORG_HOST = (org) => `${org}-admin.okta.com`;
const PROVISIONED = '0oa1prov365';

const SEL = {
  appsGroup: '[data-se=o-side-nav-item-APPLICATIONS] button',
  appsLink: '#nav-admin-apps-2',
  search: 'input[placeholder]',
  instances: "a[href*='/admin/app/office365/instance/']",
  provisioningTab: '#tab-provisioning',
  integration: '[data-se=settings-nav-integration]',
  edit: 'a.link-button',
  reauthenticate: 'input[type=button][data-se=o365-authenticate]',
  testApi: '#m-verify-button',
  save: '[id="userMgmtSettings.button.submit"]',
  adminPassword: 'input[type=password]',
};

/** Reloads and checks the guide resumes at `step` with `selector` marked. */
async function reloadAt(page, step, selector, options) {
  await page.reload();
  await expectMarked(page, step, selector, options);
}

/** Okta, from the Integration form in view mode to edit mode (re-done after a reload there). */
async function openIntegrationAndEdit(page, reload) {
  await clickMarked(page, 'integration', SEL.integration);
  await expectMarked(page, 'edit', SEL.edit);
  if (reload) {
    // The console forgets which Settings entry was open: the guide goes back to Integration.
    await page.reload();
    await clickMarked(page, 'integration', SEL.integration);
  }
  await clickMarked(page, 'edit', SEL.edit);
}

/** Okta's Applications list: search "Office", both instances are marked, the admin opens the
 * one with provisioning; its Provisioning tab is the next step. */
export async function openProvisionedInstance(page) {
  await typeInto(page, 'find-app', SEL.search, 'Office');
  const instances = await expectMarked(page, 'find-app', SEL.instances, { count: 2 });
  await instances.and(page.locator(`[href*='/instance/${PROVISIONED}/']`)).click();
  await expectMarked(page, 'provisioning-tab', SEL.provisioningTab);
}

/** Okta: from any admin page to Microsoft's sign-in page. */
// `shot(step)`, where given, is awaited at the key steps before the admin acts (the store's
// screenshots, tests/e2e/screenshots.test.mjs).
export async function walkOktaToMicrosoft(page, { org = 'acme', lang = 'en', reload = false, screenshot, shot } = {}) {
  await page.goto(`https://${ORG_HOST(org)}/admin/dashboard?lang=${lang}`);
  await expectMarked(page, 'applications', SEL.appsGroup);
  if (reload) await reloadAt(page, 'applications', SEL.appsGroup);
  await clickMarked(page, 'applications', SEL.appsGroup);
  try {
    await expectMarked(page, 'applications', SEL.appsLink, { timeout: 4_000 });
  } catch {
    // Seen once in CI, on the first walk of a cold browser: the group's click was lost and the
    // group stayed marked and collapsed. An admin would click it again; a guide that never
    // marks the link still fails below.
    await clickMarked(page, 'applications', SEL.appsGroup);
  }
  await clickMarked(page, 'applications', SEL.appsLink);
  await expectMarked(page, 'find-app', SEL.search);
  if (reload) await reloadAt(page, 'find-app', SEL.search);
  await openProvisionedInstance(page);
  if (reload) await reloadAt(page, 'provisioning-tab', SEL.provisioningTab);
  await clickMarked(page, 'provisioning-tab', SEL.provisioningTab);
  await expectMarked(page, 'integration', SEL.integration);
  if (reload) await reloadAt(page, 'integration', SEL.integration);
  await openIntegrationAndEdit(page, reload);
  await expectMarked(page, 'reauthenticate', SEL.reauthenticate);
  // The README shows the guide as the admin sees it at this step.
  if (screenshot) {
    await overlaySettled(page);
    await page.screenshot({ path: screenshot });
  }
  await shot?.('reauthenticate');
  if (reload) {
    // Edit mode is not kept across a reload either: Integration, Edit, then on.
    await page.reload();
    await openIntegrationAndEdit(page, false);
  }
  await clickMarked(page, 'reauthenticate', SEL.reauthenticate);
  await page.waitForURL(/login\.microsoftonline\.com/);
}

/** Microsoft: sign in with `account` (typing `password` and, with MFA on, `code`). */
export async function signInAtMicrosoft(page, { account, password = 'correct horse battery staple', code, reload = false, shot }) {
  await expectMarked(page, 'microsoft-sign-in', 'input[name=loginfmt]');
  await shot?.('microsoft-sign-in');
  if (reload) await reloadAt(page, 'microsoft-sign-in', 'input[name=loginfmt]');
  await typeInto(page, 'microsoft-sign-in', 'input[name=loginfmt]', account);
  await clickMarked(page, 'microsoft-sign-in', '#idSIButton9');
  await typeInto(page, 'microsoft-sign-in', 'input[name=passwd]', password);
  await clickMarked(page, 'microsoft-sign-in', '#idSIButton9');
  if (code) {
    await typeInto(page, 'microsoft-sign-in', '#otc', code);
    await clickMarked(page, 'microsoft-sign-in', '#idSubmit_SAOTCC_Continue');
  }
}

/** Microsoft: "Stay signed in?", then accept the permissions. */
export async function acceptAtMicrosoft(page, { reload = false, account, password, shot } = {}) {
  // "Yes" shares its id with the Sign in button just clicked: wait for its own screen, or the
  // walk may click Sign in a second time before the guide has looked again.
  await page.locator('#KmsiCheckboxField').waitFor({ state: 'visible', timeout: 10_000 });
  await clickMarked(page, 'microsoft-sign-in', '#idSIButton9');
  await expectMarked(page, 'consent', '#idSIButton9');
  if (reload) {
    // Microsoft starts the sign-in over after a reload.
    await page.reload();
    await signInAtMicrosoft(page, { account, password });
    await clickMarked(page, 'microsoft-sign-in', '#idSIButton9');
  }
  await shot?.('consent');
  await clickMarked(page, 'consent', '#idSIButton9');
}

export async function walkMicrosoft(page, { account, password, code, reload = false, shot }) {
  await signInAtMicrosoft(page, { account, password, code, reload, shot });
  await acceptAtMicrosoft(page, { reload, account, password, shot });
}

/** Back in Okta: test, confirm both check marks, save. */
export async function walkBackInOkta(page, { org = 'acme', reload = false, shot } = {}) {
  await page.waitForURL(new RegExp(ORG_HOST(org).replace(/\./g, '\\.')));
  await expectMarked(page, 'test-api', SEL.testApi);
  if (reload) {
    // The consent is remembered: after the reload only Integration and Edit are needed again.
    await page.reload();
    await openIntegrationAndEdit(page, false);
    await expectMarked(page, 'test-api', SEL.testApi);
  }
  await shot?.('test-api');
  await clickMarked(page, 'test-api', SEL.testApi);
  await waitForStep(page, 'checkmarks', { state: 'done' });
  await expectMarked(page, 'checkmarks', 'svg', { count: 2 });
  await expectMarked(page, 'save', SEL.save);
  await shot?.('save');
  await clickMarked(page, 'save', SEL.save);
  await waitForStep(page, 'done', { state: 'done' });
  if (reload) {
    await page.reload();
    await waitForStep(page, 'done', { state: 'done' });
  }
  assert.equal((await guideState(page)).step, 'done');
}

export { SEL };
