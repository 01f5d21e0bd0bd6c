// The whole roadmap, walked as an admin would on the replicas: only real page elements are
// clicked, never the overlay. Shared by the English/Dutch and wasm/JS walks.
import assert from 'node:assert/strict';
import { clickMarked, expectMarked, typeInto, waitForStep, guideState } from './guide.mjs';

export const ORG_HOST = (org) => `${org}-admin.okta.com`;
const PROVISIONED = '0oa1prov365';

/** Okta: from any admin page to Microsoft's sign-in page. */
export async function walkOktaToMicrosoft(page, { org = 'acme', lang = 'en' } = {}) {
  await page.goto(`https://${ORG_HOST(org)}/admin/dashboard?lang=${lang}`);
  await clickMarked(page, 'applications', '[data-se=o-side-nav-item-APPLICATIONS] button');
  await clickMarked(page, 'applications', '#nav-admin-apps-2');
  await typeInto(page, 'find-app', 'input[placeholder]', 'Office');
  // Both Office 365 instances are marked; the admin opens the one with provisioning.
  const instances = await expectMarked(page, 'find-app', "a[href*='/admin/app/office365/instance/']", { count: 2 });
  await instances.and(page.locator(`[href*='/instance/${PROVISIONED}/']`)).click();
  await clickMarked(page, 'provisioning-tab', '#tab-provisioning');
  await clickMarked(page, 'integration', '[data-se=settings-nav-integration]');
  await clickMarked(page, 'edit', 'a.link-button');
  await clickMarked(page, 'reauthenticate', 'input[type=button][data-se=o365-authenticate]');
  await page.waitForURL(/login\.microsoftonline\.com/);
}

/** Microsoft: sign in with `account`, accept the permissions. */
export async function walkMicrosoft(page, { account, password = 'correct horse battery staple' }) {
  await typeInto(page, 'microsoft-sign-in', 'input[name=loginfmt]', account);
  await clickMarked(page, 'microsoft-sign-in', '#idSIButton9');
  await typeInto(page, 'microsoft-sign-in', 'input[name=passwd]', password);
  await clickMarked(page, 'microsoft-sign-in', '#idSIButton9');
  // "Stay signed in?"
  await clickMarked(page, 'microsoft-sign-in', '#idSIButton9');
  await clickMarked(page, 'consent', '#idSIButton9');
}

/** Back in Okta: test, confirm both check marks, save. */
export async function walkBackInOkta(page, { org = 'acme' } = {}) {
  await page.waitForURL(new RegExp(ORG_HOST(org).replace(/\./g, '\\.')));
  await clickMarked(page, 'test-api', '#m-verify-button');
  await waitForStep(page, 'checkmarks', { state: 'done' });
  await expectMarked(page, 'checkmarks', 'svg', { count: 2 });
  await clickMarked(page, 'save', '[id="userMgmtSettings.button.submit"]');
  await waitForStep(page, 'done', { state: 'done' });
  assert.equal((await guideState(page)).step, 'done');
}
