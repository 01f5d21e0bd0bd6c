// Hostile or odd pages (tests/fixtures/okta/hostile/): the guide still marks the step's target,
// its ring is drawn around the target (rectangles compared through CDP, which sees into the
// guide's closed shadow root), it follows the target when containers scroll, and the target stays
// clickable through the overlay. Page scripts' synthetic clicks never advance the flow, and a page
// is not read before its stylesheets have arrived.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordConsole, withFixtures } from './harness.mjs';
import { expectMarked, waitForStep, guideState } from './guide.mjs';
import { ringsAndTarget, readLocal } from './inspect.mjs';
import { walkOktaToMicrosoft } from './walk.mjs';

const PAD = 6; // layout::PAD: the ring sits this far outside the target
const TOLERANCE = 2.5;

let server, browser;
withFixtures((env) => ({ server, browser } = env));

const near = (a, b) => Math.abs(a - b) <= TOLERANCE;
function ringFits(ring, t) {
  return near(ring.x, t.x - PAD) && near(ring.y, t.y - PAD) && near(ring.width, t.width + 2 * PAD) && near(ring.height, t.height + 2 * PAD);
}

/** Waits until exactly one element is marked for `step` and a ring is drawn around it. */
async function expectRingOnTarget(page, step = 'applications', timeout = 10_000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await ringsAndTarget(page);
    const marked = last.targets.filter((t) => t.step === step);
    if (marked.length === 1 && last.targets.length === 1 && marked[0].rect && last.rings.some((r) => ringFits(r, marked[0].rect))) {
      return marked[0].rect;
    }
    await page.waitForTimeout(100);
  }
  const state = await guideState(page).catch(() => null);
  assert.fail(`no ring around the ${step} target: guide ${JSON.stringify(state)}, marked ${JSON.stringify(last.targets)}, rings ${JSON.stringify(last.rings)}`);
}

/** Clicks the middle of `rect` as the admin would; the page must receive a trusted click. */
async function expectClickable(page, rect, frame = page.mainFrame()) {
  await page.mouse.click(rect.x + rect.width / 2, rect.y + rect.height / 2);
  await frame.waitForFunction(() => document.documentElement.dataset.clicks === '1', null, { timeout: 3000 })
    .catch(() => {});
  const seen = await frame.evaluate(() => ({ ...document.documentElement.dataset }));
  assert.deepEqual({ clicks: seen.clicks, trusted: seen.trusted }, { clicks: '1', trusted: 'true' }, 'the click did not reach the page through the overlay');
}

async function onHostile(name, fn, { todo } = {}) {
  test(`hostile page: ${name}`, { todo }, async () => {
    const page = await browser.context.newPage();
    const log = recordConsole(page);
    try {
      await fn(page, `https://h${name.replace(/[^a-z]/g, '')}-admin.okta.com/hostile/`);
      assert.ok(!log.some((l) => /^error:|pageerror/.test(l)), log.join('\n'));
    } catch (error) {
      error.message += `\n--- console ---\n${log.join('\n')}`;
      throw error;
    } finally {
      await page.close();
    }
  });
}

onHostile('all: unset on every element', async (page, base) => {
  await page.goto(`${base}allunset.html`);
  const rect = await expectRingOnTarget(page);
  // The guide's card is still drawn (the page's CSS did not reach into it).
  const guide = await page.evaluate(() => {
    const r = document.querySelector('#o365-reauth-guide').getBoundingClientRect();
    return { position: getComputedStyle(document.querySelector('#o365-reauth-guide')).position, w: r.width, h: r.height };
  });
  assert.equal(guide.position, 'fixed');
  assert.ok(guide.w > 100 && guide.h > 100, `guide host collapsed: ${JSON.stringify(guide)}`);
  await expectClickable(page, rect);
});

onHostile('huge z-indexes, transformed body, position: fixed container', async (page, base) => {
  await page.goto(`${base}stacking.html`);
  const rect = await expectRingOnTarget(page);
  // The page scrolls (a transformed body makes its "fixed" shell scroll too): the ring follows.
  await page.mouse.wheel(0, 100);
  await page.waitForFunction(() => scrollY > 0);
  await page.waitForTimeout(200);
  const after = await expectRingOnTarget(page);
  assert.ok(Math.abs(after.y - rect.y) > 20, `the target did not move: ${rect.y} → ${after.y}`);
  await expectClickable(page, after);
});

onHostile('target inside nested scroll containers', async (page, base) => {
  await page.goto(`${base}scrollers.html`);
  const first = await expectRingOnTarget(page);
  for (const [id, by] of [['inner', 35], ['outer', 45], ['inner', -20]]) {
    await page.evaluate(([id, by]) => { document.getElementById(id).scrollTop += by; }, [id, by]);
    await page.waitForTimeout(50);
    const moved = await expectRingOnTarget(page);
    assert.ok(Math.abs(moved.y - first.y) > 1 || id === 'inner', 'the container did not scroll');
  }
  await expectClickable(page, await expectRingOnTarget(page));
});

onHostile('right-to-left page', async (page, base) => {
  await page.goto(`${base}rtl.html`);
  const rect = await expectRingOnTarget(page);
  assert.ok(rect.x > 640, `the RTL navigation is on the right: x=${rect.x}`);
  await expectClickable(page, rect);
});

onHostile('page zoomed 200 % by CSS zoom', async (page, base) => {
  await page.goto(`${base}zoom.html`);
  const rect = await expectRingOnTarget(page);
  await expectClickable(page, rect);
});

onHostile('browser zoom 200 % (device scale 2, half the CSS viewport)', async (page, base) => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setDeviceMetricsOverride', { width: 640, height: 400, deviceScaleFactor: 2, mobile: false });
  try {
    await page.goto(`${base}plain.html`);
    const rect = await expectRingOnTarget(page);
    assert.equal(await page.evaluate(() => devicePixelRatio), 2);
    await expectClickable(page, rect);
  } finally {
    await cdp.send('Emulation.clearDeviceMetricsOverride').catch(() => {});
    await cdp.detach();
  }
});

onHostile('target inside an open shadow root', async (page, base) => {
  await page.goto(`${base}shadow.html`);
  const rect = await expectRingOnTarget(page);
  await expectClickable(page, rect);
});

onHostile('target inside a same-origin iframe', async (page, base) => {
  await page.goto(`${base}iframe.html`);
  const rect = await expectRingOnTarget(page);
  const frame = page.frames().find((f) => f.url().endsWith('/hostile/plain.html'));
  await expectClickable(page, rect, frame);
});

test('synthetic (untrusted) clicks and keys from a page script do not advance the flow', async () => {
  const page = await browser.context.newPage();
  const log = recordConsole(page);
  const org = 'synthetic';
  try {
    // A fresh load of the Applications list moves the guide to find-app (a page load counts).
    await page.goto(`https://${org}-admin.okta.com/admin/apps/active`);
    await expectMarked(page, 'find-app', 'input[placeholder]');
    await page.waitForTimeout(1500); // past the list's re-render
    // A page script clicks the Office 365 instance and then the Provisioning tab: the page
    // follows, the guide must not.
    await page.evaluate(() => {
      document.querySelector("a[href*='/instance/0oa1prov365/']").click();
    });
    await page.waitForURL(/0oa1prov365/);
    await page.waitForSelector('#tab-provisioning');
    await page.evaluate(() => {
      const tab = document.querySelector('#tab-provisioning');
      tab.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
      tab.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    await page.waitForSelector('[data-se=settings-nav-integration]');
    await page.waitForTimeout(2000);
    const state = await guideState(page);
    assert.equal(state.step, 'find-app', `the guide followed synthetic clicks: ${JSON.stringify(state)}`);
    const stored = (await readLocal(browser.context, `org:${org}.okta.com`))[`org:${org}.okta.com`];
    assert.equal(stored.step, 'find-app', `stored progress advanced: ${stored.step}`);
    assert.ok(!stored.history.some((h) => ['provisioning-tab', 'integration'].includes(h.step)), JSON.stringify(stored.history));
    // A real click of the admin is followed at once: the test above was not vacuous.
    await page.locator('[data-se=settings-nav-integration]').click();
    await waitForStep(page, 'edit');
  } catch (error) {
    error.message += `\n--- console ---\n${log.join('\n')}`;
    throw error;
  } finally {
    await page.close();
  }
});

test('a stylesheet that arrives late: what it hides is not read as shown before it applies', async () => {
  const page = await browser.context.newPage();
  const log = recordConsole(page);
  const org = 'latestyle';
  // Every step the guide's root shows, from the first, in the page's own world.
  await page.addInitScript(() => {
    window.guideSteps = [];
    new MutationObserver(() => {
      const step = document.querySelector('#o365-reauth-guide')?.dataset.step;
      if (step && window.guideSteps.at(-1) !== step) window.guideSteps.push(step);
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-step'] });
  });
  try {
    await walkOktaToMicrosoft(page, { org });
    // Microsoft's page keeps every screen in its HTML, "Need admin approval" included, and hides
    // all but one with its stylesheet. Reload it with that stylesheet held back.
    server.delays['/assets/converged.css'] = 1500;
    await page.evaluate(() => { window.guideSteps = []; });
    await page.reload();
    await expectMarked(page, 'microsoft-sign-in', 'input[name=loginfmt]');
    const steps = await page.evaluate(() => window.guideSteps);
    assert.ok(!steps.includes('wrong-account'), `read the unstyled page: ${steps}`);
    const stored = (await readLocal(browser.context, `org:${org}.okta.com`))[`org:${org}.okta.com`];
    assert.ok(!stored.history.some((h) => h.step === 'wrong-account'), JSON.stringify(stored.history));
  } catch (error) {
    error.message += `\n--- console ---\n${log.join('\n')}`;
    throw error;
  } finally {
    delete server.delays['/assets/converged.css'];
    await page.close();
  }
});
