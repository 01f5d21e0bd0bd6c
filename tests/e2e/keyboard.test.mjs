// The card by keyboard, and in a window too small for it (issue 14): the extension's shortcut moves the focus into the card, Tab
// stays among its buttons, Esc pauses the guide and gives the focus back to where it was; Skip
// asks first when the guide can see the step is not done. Chromium does not deliver browser
// shortcuts to a headless window, so the test runs the background's own command handler in its
// service worker (the function `commands.onCommand` calls), with the command's name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXTENSION_ID, withFixtures, onPage as onPageOf } from './harness.mjs';
import { ROOT, expectMarked, waitForStep, guideState, waitForCard, overlaySettled, cardBox, overlap } from './guide.mjs';
import { ORG_HOST, walkOktaToMicrosoft } from './walk.mjs';
import { withGuideDom, attrOf, clickCardAction } from './diagnostics.mjs';

const NAV_APPS = '[data-se=o-side-nav-item-APPLICATIONS] button';
let server, browser;
withFixtures((env) => ({ server, browser } = env));

const onPage = (fn) => onPageOf(browser.context, fn);

async function backgroundWorker(context) {
  const mine = (w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`);
  return context.serviceWorkers().find(mine) ?? context.waitForEvent('serviceworker', { predicate: mine, timeout: 10_000 });
}

/** The `data-action` of the card button that has the focus, or null. */
async function focusedCardAction(page) {
  return withGuideDom(page, async (cdp, root) => {
    const stack = [root];
    while (stack.length) {
      const node = stack.pop();
      if (node.localName === 'button' && attrOf(node, 'data-action')) {
        const { object } = await cdp.send('DOM.resolveNode', { nodeId: node.nodeId });
        const { result } = await cdp.send('Runtime.callFunctionOn', {
          objectId: object.objectId, returnByValue: true,
          functionDeclaration: 'function () { return this.getRootNode().activeElement === this; }',
        });
        if (result.value) return attrOf(node, 'data-action');
      }
      stack.push(...(node.children ?? []), ...(node.shadowRoots ?? []));
    }
    return null;
  });
}

/** Clicks the card's `action` once the card shows it (the card re-renders after a look). */
async function clickWhenShown(page, action, timeout = 5000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    // (A re-rendered card may move, with a transition: click it where it holds still.)
    await overlaySettled(page);
    if (await clickCardAction(page, action)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function untilFocused(page, timeout = 5000) {
  const deadline = Date.now() + timeout;
  let action = null;
  while (!action && Date.now() < deadline) {
    action = await focusedCardAction(page);
    if (!action) await new Promise((r) => setTimeout(r, 100));
  }
  return action;
}

const focusIsOn = (page, selector) => page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);

test('the shortcut focuses the card, Tab stays in it, Esc pauses and gives the focus back', async () => {
  await onPage(async (page) => {
    await page.goto(`https://${ORG_HOST('keyboard')}/admin/dashboard?lang=en`);
    await expectMarked(page, 'applications', NAV_APPS);
    await page.focus(NAV_APPS);
    await page.bringToFront();
    const worker = await backgroundWorker(browser.context);
    assert.equal(await worker.evaluate(() => focusCardInActiveTab('focus-card')), true, 'the guide in the active tab got the message');
    await page.waitForFunction((root) => document.activeElement === document.querySelector(root), ROOT, { timeout: 5000 });
    const first = await focusedCardAction(page);
    assert.ok(first, 'a card button has the focus');
    await page.keyboard.press('Tab');
    const second = await focusedCardAction(page);
    assert.ok(second && second !== first, `Tab moves to the card's next button (${first} → ${second})`);
    await page.keyboard.press('Escape');
    await waitForStep(page, 'applications', { state: 'paused' });
    assert.equal(await focusIsOn(page, NAV_APPS), true, 'the focus is back on the element that had it');
    // The paused pill is reached by keyboard too, and Enter on its Resume resumes.
    assert.equal(await worker.evaluate(() => focusCardInActiveTab('focus-card')), true);
    assert.equal(await untilFocused(page), 'resume');
    await page.keyboard.press('Enter');
    await waitForStep(page, 'applications', { state: 'highlighting' });
    // Another command name does nothing.
    assert.equal(await worker.evaluate(() => focusCardInActiveTab('something-else')), false);
  });
});

test('Skip on a step whose target is in sight asks first; staying keeps the step', async () => {
  await onPage(async (page) => {
    await page.goto(`https://${ORG_HOST('skipper')}/admin/dashboard?lang=en`);
    await expectMarked(page, 'applications', NAV_APPS);
    assert.ok(await clickWhenShown(page, 'skip'));
    await waitForCard(page, /not done yet.*Skip anyway.*Stay at this step/s);
    assert.equal((await guideState(page)).step, 'applications', 'not skipped');
    assert.ok(await clickWhenShown(page, 'keep-step'));
    assert.ok(await clickWhenShown(page, 'skip'), 'staying brings the step\'s own card back');
    assert.ok(await clickWhenShown(page, 'skip-anyway'));
    await waitForStep(page, 'find-app');
  });
});

test('where nothing is free for the card, it collapses to a pill that opens on hover and on focus', async () => {
  await onPage(async (page) => {
    const fields = () => page.evaluate(() => [...document.querySelectorAll('form input:not([type=hidden]), [data-reauth-step]')]
      .map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0 && r.bottom > 0 && r.top < innerHeight).map((r) => r.toJSON()));
    let checked = false;
    await walkOktaToMicrosoft(page, { org: 'smallwindow', shot: async (step) => {
      if (step !== 'reauthenticate') return;
      const open = await cardBox(page);
      // The form's fields and buttons fill a small window: the card cannot sit beside them.
      await page.setViewportSize({ width: 520, height: 340 });
      await page.evaluate(() => document.querySelector('[data-reauth-step]').scrollIntoView({ block: 'center' }));
      await overlaySettled(page);
      const pill = await cardBox(page);
      assert.ok(pill.width <= 262 && pill.height < open.height / 2, `collapsed: ${JSON.stringify(pill)} (open ${JSON.stringify(open)})`);
      for (const field of await fields()) assert.equal(overlap(pill, field), false, `the pill covers ${JSON.stringify(field)}`);
      await page.mouse.move(pill.x + 10, pill.y + 10);
      await overlaySettled(page);
      assert.ok((await cardBox(page)).height > pill.height * 2, 'hovered, it opens');
      await page.mouse.move(1, 1);
      await overlaySettled(page);
      // By keyboard: the shortcut focuses the pill itself (its buttons are hidden), which opens it.
      const worker = await backgroundWorker(browser.context);
      assert.equal(await worker.evaluate(() => focusCardInActiveTab('focus-card')), true);
      await page.waitForFunction((root) => document.activeElement === document.querySelector(root), ROOT);
      await overlaySettled(page);
      assert.ok((await cardBox(page)).height > pill.height * 2, 'focused, it opens');
      await page.keyboard.press('Tab');
      assert.ok(await untilFocused(page), 'Tab goes on to its buttons');
      await page.setViewportSize({ width: 1280, height: 800 });
      checked = true;
    } }).catch((error) => { if (!checked) throw error; });
    assert.ok(checked, 'the walk reached Re-authenticate');
  });
});
