// The whole roadmap on dialect B's replicas (tests/fixtures/dialect-b), walked as an admin would:
// only real page elements are clicked, picked by dialect B's own markup, after checking that the
// guide marks exactly that element for the step it shows. Shared by dialect-b.test.mjs.
import assert from 'node:assert/strict';
import { clickMarked, expectMarked, typeInto, waitForStep, guideState } from './guide.mjs';

export const ORG_HOST = (org) => `${org}-admin.okta.com`;
export const PROVISIONED = '0oa1b365prov';
/** Every check looks inside open shadow roots too (the side nav lives in one). */
const DEEP = { deep: true };
const deep = (options) => ({ ...DEEP, ...options });

export const SEL = {
  // Odyssey shell, inside <odyssey-react-web-component>'s open shadow root.
  appsGroup: '.nav-accordion-summary[aria-controls="nav-accordion-details-applications"]',
  appsLink: 'li#applications-applications > a',
  // Applications list (normal DOM).
  search: 'input[placeholder="Search"]',
  instances: "a.app-instance-card-name[href*='/admin/app/office365/instance/']",
  // App page: hash-routed tabs and the Provisioning settings list.
  provisioningTab: 'a.o-tab-link[href="#tab-user-management"]',
  integration: '.settings-nav-list > li:last-child > a.settings-nav-link',
  edit: '[id="userMgmtSettings.edit_link"]',
  reauthenticate: 'span.o365-oauth-button[role=button]',
  adminPassword: 'input[name=adminPassword]',
  testApi: 'div.o365-verify-credentials',
  checks: 'span.icon.success-16-green',
  save: 'button.o-form-save',
  // Microsoft (one screen per page load).
  email: 'input#i0116[name=loginfmt]',
  password: 'input#i0118[name=passwd]',
  primary: 'input#idSIButton9',
  otc: 'input#idTxtBx_SAOTCC_OTC',
  otcVerify: 'input#idSubmit_SAOTCC_Continue',
  numberSign: '#idRichContext_DisplaySign',
  consentCancel: 'input#idBtn_Back[name=cancel]',
  signInWithAdmin: 'a#adminAccountSignIn',
};

export const oktaUrl = (org, path, knobs = {}) => {
  const q = new URLSearchParams(knobs).toString();
  return `https://${ORG_HOST(org)}${path}${q ? `?${q}` : ''}`;
};

/** Okta's Applications list: search "Office", both Office 365 instances are marked (not the
 * "Office 365 Mail" bookmark), the admin opens the provisioned one. */
export async function openProvisionedInstance(page) {
  await typeInto(page, 'find-app', SEL.search, 'Office', DEEP);
  const instances = await expectMarked(page, 'find-app', SEL.instances, deep({ count: 2 }));
  await instances.and(page.locator(`[href*='/instance/${PROVISIONED}/']`)).click();
  await expectMarked(page, 'provisioning-tab', SEL.provisioningTab, DEEP);
}

/**
 * Okta: from the dashboard to the Re-authenticate button in edit mode. `knobs` go on the first
 * URL (handoff, failure, form, ui_locales, …). Returns the guide's engine seen on Okta.
 */
export async function walkOktaToReauthenticate(page, { org, knobs = {} }) {
  await page.goto(oktaUrl(org, '/admin/dashboard', knobs));
  await clickMarked(page, 'applications', SEL.appsGroup, DEEP);
  await clickMarked(page, 'applications', SEL.appsLink, DEEP);
  await expectMarked(page, 'find-app', SEL.search, DEEP);
  const engine = (await guideState(page)).engine;
  await openProvisionedInstance(page);
  await clickMarked(page, 'provisioning-tab', SEL.provisioningTab, DEEP);
  await clickMarked(page, 'integration', SEL.integration, DEEP);
  await clickMarked(page, 'edit', SEL.edit, DEEP);
  await expectMarked(page, 'reauthenticate', SEL.reauthenticate, DEEP);
  return engine;
}

/**
 * Clicks the marked Re-authenticate button (`step`: reauthenticate or consent-declined) and
 * returns the page Microsoft opens in: the same tab, or the pop-up.
 */
export async function handOff(page, { popup = false, step = 'reauthenticate' } = {}) {
  const opened = popup ? page.waitForEvent('popup', { timeout: 15_000 }) : null;
  await clickMarked(page, step, SEL.reauthenticate, DEEP);
  const ms = popup ? await opened : page;
  await ms.waitForURL(/login\.microsoftonline\.com/);
  return ms;
}

/** Microsoft: account, password, then (by server.msKnobs.mfa) the code or number-matching screen. */
export async function signInAtMicrosoft(ms, { account, password = 'correct horse battery staple', mfa = 'off' }) {
  await typeInto(ms, 'microsoft-sign-in', SEL.email, account, DEEP);
  await clickMarked(ms, 'microsoft-sign-in', SEL.primary, DEEP);
  await typeInto(ms, 'microsoft-sign-in', SEL.password, password, DEEP);
  await clickMarked(ms, 'microsoft-sign-in', SEL.primary, DEEP);
  if (mfa === 'code') {
    await typeInto(ms, 'microsoft-sign-in', SEL.otc, '246810', DEEP);
    await clickMarked(ms, 'microsoft-sign-in', SEL.otcVerify, DEEP);
  } else if (mfa === 'number') {
    // Number matching: nothing to click on this page; the admin approves on the phone.
    await ms.waitForSelector(SEL.numberSign);
    await waitForStep(ms, 'microsoft-sign-in');
  }
}

/** Microsoft: "Stay signed in?" (Yes), then Accept on the permissions page. */
export async function acceptAtMicrosoft(ms) {
  await clickMarked(ms, 'microsoft-sign-in', SEL.primary, DEEP);
  await clickMarked(ms, 'consent', SEL.primary, DEEP);
}

/** After the last Microsoft click: the same tab comes back to Okta, or the pop-up closes itself. */
export async function backToOkta(page, ms, { org }) {
  if (ms !== page) await ms.waitForEvent('close', { timeout: 15_000 });
  await page.waitForURL(new RegExp(ORG_HOST(org).replace(/\./g, '\\.')));
}

/** Back in Okta: test, both green icon-font checks, save, done. */
export async function testAndSave(page) {
  await clickMarked(page, 'test-api', SEL.testApi, DEEP);
  await waitForStep(page, 'checkmarks', { state: 'done' });
  await expectMarked(page, 'checkmarks', SEL.checks, deep({ count: 2 }));
  await saveToDone(page);
}

export async function saveToDone(page) {
  await clickMarked(page, 'save', SEL.save, DEEP);
  await waitForStep(page, 'done', { state: 'done' });
  assert.equal((await guideState(page)).step, 'done');
}

export { DEEP };
