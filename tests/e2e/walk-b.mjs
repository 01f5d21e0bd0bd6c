// The whole roadmap on dialect B's replicas (tests/fixtures/dialect-b), walked as an admin would:
// only real page elements are clicked, picked by dialect B's own markup, after checking that the
// guide marks exactly that element for the step it shows. Shared by dialect-b.test.mjs.
import { clickMarked, expectMarked, typeInto, waitForStep, guideState, marked } from './guide.mjs';

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

/**
 * How a walk checks the marker contract. `strict` fails at the first step the guide gets wrong
 * (clickMarked & co.). `survey(record)` checks every step with a short timeout, records what the
 * guide showed when it was wrong, and goes on by clicking the real page element itself, so one
 * run maps every step of the roadmap; the test then fails with the whole list.
 */
export const strict = {
  mark: (page, step, selector, options) => expectMarked(page, step, selector, deep(options)),
  click: (page, step, selector, options) => clickMarked(page, step, selector, deep(options)),
  type: (page, step, selector, text, options) => typeInto(page, step, selector, text, deep(options)),
  step: (page, step, options) => waitForStep(page, step, options),
};
const NAVIGATING = /Execution context was destroyed|navigation|Target page, context or browser has been closed/i;
export function survey(record, { timeout = 3_000 } = {}) {
  const note = async (page, step, selector, error) => {
    const guide = await guideState(page).catch(() => null);
    const marks = await marked(page, DEEP).catch(() => []);
    record.push({ step, expected: selector, url: page.url(), guide, marked: marks, error: error.message.split('\n')[0].slice(0, 300) });
  };
  const mark = async (page, step, selector, options = {}) => {
    try {
      // A check that lands in a page's unload is retried on the next page, not counted.
      for (let attempt = 1; ; attempt++) {
        try {
          return await expectMarked(page, step, selector, deep({ ...options, timeout }));
        } catch (error) {
          if (attempt >= 3 || !NAVIGATING.test(error.message)) throw error;
          await page.waitForLoadState('domcontentloaded').catch(() => {});
        }
      }
    } catch (error) {
      await note(page, step, selector, error);
      const count = options.count || 1;
      const all = page.locator(`:is(${selector}):visible`);
      await all.nth(count - 1).waitFor({ timeout: 10_000 });
      return count === 1 ? all.first() : all;
    }
  };
  return {
    mark,
    click: async (page, step, selector, options) => { await (await mark(page, step, selector, options)).first().click(); },
    type: async (page, step, selector, text, options) => {
      await (await mark(page, step, selector, options)).first().click();
      await page.keyboard.type(text, { delay: 5 });
    },
    step: async (page, step, options = {}) => {
      try { await waitForStep(page, step, { ...options, timeout }); } catch (error) { await note(page, `${step}${options.state ? `/${options.state}` : ''}`, '(guide step)', error); }
    },
  };
}

export const oktaUrl = (org, path, knobs = {}) => {
  const q = new URLSearchParams(knobs).toString();
  return `https://${ORG_HOST(org)}${path}${q ? `?${q}` : ''}`;
};

/** Okta's Applications list: search "Office", both Office 365 instances are marked (not the
 * "Office 365 Mail" bookmark), the admin opens the provisioned one. */
export async function openProvisionedInstance(page, g = strict) {
  await g.type(page, 'find-app', SEL.search, 'Office');
  const instances = await g.mark(page, 'find-app', SEL.instances, { count: 2 });
  await instances.and(page.locator(`[href*='/instance/${PROVISIONED}/']`)).click();
  await g.mark(page, 'provisioning-tab', SEL.provisioningTab);
}

/**
 * Okta: from the dashboard to the Re-authenticate button in edit mode. `knobs` go on the first
 * URL (handoff, failure, form, ui_locales, …). Returns the guide's engine seen on Okta.
 */
export async function walkOktaToReauthenticate(page, { org, knobs = {}, g = strict }) {
  await page.goto(oktaUrl(org, '/admin/dashboard', knobs));
  await g.click(page, 'applications', SEL.appsGroup);
  await g.click(page, 'applications', SEL.appsLink);
  await g.mark(page, 'find-app', SEL.search);
  const engine = (await guideState(page))?.engine;
  await openProvisionedInstance(page, g);
  await g.click(page, 'provisioning-tab', SEL.provisioningTab);
  await g.click(page, 'integration', SEL.integration);
  await g.click(page, 'edit', SEL.edit);
  await g.mark(page, 'reauthenticate', SEL.reauthenticate);
  return engine;
}

/**
 * Clicks the marked Re-authenticate button (`step`: reauthenticate or consent-declined) and
 * returns the page Microsoft opens in: the same tab, or the pop-up.
 */
export async function handOff(page, { popup = false, step = 'reauthenticate', g = strict } = {}) {
  const opened = popup ? page.waitForEvent('popup', { timeout: 30_000 }) : null;
  await g.click(page, step, SEL.reauthenticate);
  const ms = popup ? await opened : page;
  await ms.waitForURL(/login\.microsoftonline\.com/);
  return ms;
}

/** Microsoft: account, password, then (by server.msKnobs.mfa) the code or number-matching screen. */
export async function signInAtMicrosoft(ms, { account, password = 'correct horse battery staple', mfa = 'off', g = strict }) {
  await g.type(ms, 'microsoft-sign-in', SEL.email, account);
  await g.click(ms, 'microsoft-sign-in', SEL.primary);
  await g.type(ms, 'microsoft-sign-in', SEL.password, password);
  await g.click(ms, 'microsoft-sign-in', SEL.primary);
  if (mfa === 'code') {
    await g.type(ms, 'microsoft-sign-in', SEL.otc, '246810');
    await g.click(ms, 'microsoft-sign-in', SEL.otcVerify);
  } else if (mfa === 'number') {
    // Number matching: nothing to click on this page; the admin approves on the phone.
    await ms.waitForSelector(SEL.numberSign);
    await g.step(ms, 'microsoft-sign-in');
    await ms.waitForSelector(SEL.numberSign, { state: 'detached', timeout: 10_000 });
    await ms.waitForLoadState('domcontentloaded');
  }
}

/** Microsoft: "Stay signed in?" (Yes), then Accept on the permissions page. */
export async function acceptAtMicrosoft(ms, g = strict) {
  await g.click(ms, 'microsoft-sign-in', SEL.primary);
  await g.click(ms, 'consent', SEL.primary);
}

/** After the last Microsoft click: the same tab comes back to Okta, or the pop-up closes itself. */
export async function backToOkta(page, ms, { org }) {
  if (ms !== page) await ms.waitForEvent('close', { timeout: 15_000 });
  await page.waitForURL(new RegExp(ORG_HOST(org).replace(/\./g, '\\.')));
}

/** Back in Okta: test, both green icon-font checks, save, done. */
export async function testAndSave(page, g = strict) {
  await g.click(page, 'test-api', SEL.testApi);
  await g.step(page, 'checkmarks', { state: 'done' });
  await g.mark(page, 'checkmarks', SEL.checks, { count: 2 });
  await saveToDone(page, g);
}

export async function saveToDone(page, g = strict) {
  await g.click(page, 'save', SEL.save);
  await g.step(page, 'done', { state: 'done' });
}

export { DEEP };
