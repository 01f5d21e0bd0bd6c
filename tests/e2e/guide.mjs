// Helpers for walking the roadmap as an admin would: wait for the guide's step, check that the
// right element (and only it) is marked, then click that real page element.
import assert from 'node:assert/strict';

export const ROOT = '#o365-reauth-guide';

/** Waits until the guide shows `step` (and `state`, if given). */
export async function waitForStep(page, step, { state, timeout = 15_000 } = {}) {
  const selector = state ? `${ROOT}[data-step="${step}"][data-state="${state}"]` : `${ROOT}[data-step="${step}"]`;
  try {
    await page.waitForSelector(selector, { state: 'attached', timeout });
  } catch (error) {
    const now = await page.evaluate((root) => {
      const el = document.querySelector(root);
      return el && { step: el.dataset.step, state: el.dataset.state, url: location.href };
    }, ROOT).catch(() => null);
    throw new Error(`guide did not reach ${step}${state ? `/${state}` : ''}: now ${JSON.stringify(now)}`);
  }
}

/** The elements carrying the step marker, described for assertions (`deep`: also inside open
 * shadow roots). */
export async function marked(page, { deep = false } = {}) {
  return page.evaluate((deep) => {
    const roots = [document];
    if (deep) for (let i = 0; i < roots.length; i++) for (const el of roots[i].querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    return roots.flatMap((r) => [...r.querySelectorAll('[data-reauth-step]')]).map((el) => ({
      step: el.getAttribute('data-reauth-step'),
      tag: el.tagName.toLowerCase(),
      id: el.id,
      name: el.getAttribute('name') || '',
      href: el.getAttribute('href') || '',
      text: (el.value || el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\s+/g, ' '),
    }));
  }, deep);
}

/** Per page, a check awaited each time expectMarked found a step's target marked (card.test.mjs
 * checks the card's placement at every step of the walks this way). */
const afterMarked = new WeakMap();
export function onMarked(page, check) {
  afterMarked.set(page, check);
}

/**
 * Waits until `selector` (a real page element) is the one and only marked element for `step`
 * (with `count`, that many elements all matching `selector`), and returns its locator.
 */
export async function expectMarked(page, step, selector, { count = 1, timeout = 15_000, deep = false } = {}) {
  await waitForStep(page, step, { timeout });
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await page.evaluate(({ selector, deep }) => {
      // `deep`: elements inside open shadow roots count too (dialect B's side nav).
      const roots = [document];
      if (deep) for (let i = 0; i < roots.length; i++) for (const el of roots[i].querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
      const q = (sel) => roots.flatMap((r) => [...r.querySelectorAll(sel)]);
      const all = q('[data-reauth-step]');
      const wanted = q(selector).filter((el) => el.getBoundingClientRect().width > 0);
      return {
        steps: all.map((el) => el.getAttribute('data-reauth-step')),
        matching: all.filter((el) => wanted.includes(el)).length,
        total: all.length,
      };
    }, { selector, deep });
    if (last.total === count && last.matching === count && last.steps.every((s) => s === step)) {
      await afterMarked.get(page)?.(step, selector);
      return page.locator(`:is(${selector})[data-reauth-step="${step}"]`);
    }
    await page.waitForTimeout(50);
  }
  assert.fail(`expected ${count} × ${selector} marked for ${step}; got ${JSON.stringify(last)} ${JSON.stringify(await marked(page, { deep }))}`);
}

/** Marks, then clicks the real element as the admin would. */
export async function clickMarked(page, step, selector, options) {
  const target = await expectMarked(page, step, selector, options);
  await target.first().click();
}

export async function typeInto(page, step, selector, text, options) {
  const target = await expectMarked(page, step, selector, options);
  await target.click();
  await page.keyboard.type(text, { delay: 5 });
}

export async function guideState(page) {
  return page.evaluate((root) => {
    const el = document.querySelector(root);
    return el && { step: el.dataset.step, state: el.dataset.state, engine: el.dataset.engine };
  }, ROOT);
}

/** The text of the guide's card, read through its closed shadow root with CDP. */
export async function cardText(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const texts = [];
    const walk = (node, inside) => {
      const here = inside || (node.attributes || []).some((v, i, a) => i % 2 === 0 && v === 'id' && a[i + 1] === 'o365-reauth-guide');
      if (here && node.nodeType === 3) texts.push(node.nodeValue);
      for (const child of [...(node.children || []), ...(node.shadowRoots || [])]) walk(child, here);
    };
    walk(root, false);
    return texts.join(' ').replace(/\s+/g, ' ').trim();
  } finally {
    await cdp.detach();
  }
}

/** The card's border box in viewport pixels ({ x, y, width, height }), through CDP; null if none. */
export async function cardBox(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    let card = null;
    const walk = (node, inside) => {
      const attrs = node.attributes || [];
      const here = inside || attrs.some((v, i) => i % 2 === 0 && v === 'id' && attrs[i + 1] === 'o365-reauth-guide');
      if (here && !card && attrs.some((v, i) => i % 2 === 0 && v === 'class' && attrs[i + 1].split(' ').includes('card'))) card = node;
      for (const child of [...(node.children || []), ...(node.shadowRoots || [])]) walk(child, here);
    };
    walk(root, false);
    if (!card) return null;
    const { model } = await cdp.send('DOM.getBoxModel', { nodeId: card.nodeId });
    const xs = model.border.filter((_, i) => i % 2 === 0);
    const ys = model.border.filter((_, i) => i % 2 === 1);
    return { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
  } finally {
    await cdp.detach();
  }
}

/** Whether two boxes ({ x, y, width, height }) overlap. */
export const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Waits until the card and `boxes()` hold still (the card and rings move with a 120 ms
 * transition), so that what is checked or shot is the overlay as the admin sees it; returns
 * `[card, boxes]`. `what` names the moment in the failure. */
export async function settled(page, boxes, what = 'the overlay') {
  let last = '';
  for (let i = 0; i < 50; i++) {
    const now = JSON.stringify([await cardBox(page), await boxes()]);
    if (now === last) return JSON.parse(now);
    last = now;
    await page.waitForTimeout(200);
  }
  assert.fail(`${what} never settled`);
}

/** `settled` with the marked elements as the boxes. */
export async function overlaySettled(page) {
  await settled(page, () => page.evaluate(() => [...document.querySelectorAll('[data-reauth-step]')].map((el) => {
    const r = el.getBoundingClientRect();
    return [r.x, r.y, r.width, r.height];
  })));
}

/** Waits until the card's text matches `pattern`. */
export async function waitForCard(page, pattern, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  let text = '';
  while (Date.now() < deadline) {
    text = await cardText(page);
    if (pattern.test(text)) return text;
    await page.waitForTimeout(100);
  }
  assert.fail(`card text ${JSON.stringify(text)} does not match ${pattern}`);
}
