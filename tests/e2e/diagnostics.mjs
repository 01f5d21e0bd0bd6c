// Field diagnostics as an admin uses them: "Copy diagnostics" on the card opens a box showing
// what will be copied, "Copy" puts exactly that on the clipboard. The card lives in a closed
// shadow root, so its buttons are found through CDP and clicked with the real mouse (a trusted
// click: the clipboard needs one).
import assert from 'node:assert/strict';
import { cardText } from './guide.mjs';

const BEGIN = '----- BEGIN DIAGNOSTICS JSON -----';
const END = '----- END DIAGNOSTICS JSON -----';

/** Runs `fn(cdp, guideNodeId)` with a CDP session on the page's pierced DOM. */
export async function withGuideDom(page, fn) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    return await fn(cdp, root);
  } finally {
    await cdp.detach().catch(() => {});
  }
}

function* nodes(node) {
  yield node;
  for (const kid of [...(node.shadowRoots ?? []), ...(node.children ?? [])]) yield* nodes(kid);
}

export const attrOf = (node, name) => {
  const a = node.attributes ?? [];
  for (let i = 0; i < a.length; i += 2) if (a[i] === name) return a[i + 1];
  return null;
};

function guideNode(root) {
  for (const node of nodes(root)) if (attrOf(node, 'id') === 'o365-reauth-guide') return node;
  return null;
}

/** The first node in the guide's shadow root that `match` accepts. */
export function inGuide(root, match) {
  const guide = guideNode(root);
  if (!guide) return null;
  for (const node of nodes(guide)) if (match(node)) return node;
  return null;
}

/** Clicks the card's button with `data-action=action`; false when there is none. */
export async function clickCardAction(page, action) {
  const point = await withGuideDom(page, async (cdp, root) => {
    const button = inGuide(root, (n) => n.localName === 'button' && attrOf(n, 'data-action') === action);
    if (!button) return null;
    await cdp.send('DOM.scrollIntoViewIfNeeded', { nodeId: button.nodeId }).catch(() => {});
    // (The card may have been redrawn since the document was read: then there is nothing to click.)
    const box = await cdp.send('DOM.getBoxModel', { nodeId: button.nodeId }).catch(() => null);
    if (!box) return null;
    const q = box.model.border;
    return { x: (q[0] + q[4]) / 2, y: (q[1] + q[5]) / 2 };
  });
  if (!point) return false;
  await page.mouse.click(point.x, point.y);
  return true;
}

/** The text of the first guide node matching `selector`-like `match`, read in the page. */
async function guideNodeText(page, match) {
  return withGuideDom(page, async (cdp, root) => {
    const node = inGuide(root, match);
    if (!node) return null;
    const { object } = await cdp.send('DOM.resolveNode', { nodeId: node.nodeId });
    const { result } = await cdp.send('Runtime.callFunctionOn', { objectId: object.objectId, functionDeclaration: 'function () { return this.textContent; }', returnByValue: true });
    return result.value;
  });
}

const isPreview = (n) => n.localName === 'pre' && attrOf(n, 'class') === 'diag-text';
const isStatus = (n) => n.localName === 'p' && attrOf(n, 'class') === 'diag-status';

async function poll(fn, what, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  let value;
  while (Date.now() < deadline) {
    value = await fn().catch(() => null);
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${what}: gave up after ${timeout} ms (last ${JSON.stringify(value)})`);
}

/**
 * Clicks `action` until `done()` gives a value (a click that lands while the page makes the card
 * redraw its buttons is lost, as it would be for a person: they click again).
 */
async function clickUntil(page, action, done, what) {
  for (let attempt = 0; attempt < 4; attempt++) {
    const already = await done().catch(() => null);
    if (already) return already;
    await clickCardAction(page, action);
    const deadline = Date.now() + 2500;
    while (Date.now() < deadline) {
      const value = await done().catch(() => null);
      if (value) return value;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  assert.fail(`${what}: nothing after 4 clicks on ${action}; card: ${(await cardText(page)).slice(0, 600)}`);
}

/** Opens the diagnostics box and returns the text it shows. */
export async function openDiagnostics(page) {
  return clickUntil(page, 'diagnostics', () => guideNodeText(page, isPreview), 'the diagnostics box shows its text');
}

/** Clicks Copy in the open box; returns the clipboard's text once the card says it is copied. */
export async function copyDiagnostics(page) {
  await page.evaluate(() => navigator.clipboard.writeText('-')).catch(() => {});
  const status = await clickUntil(page, 'copy-diagnostics', () => guideNodeText(page, isStatus), 'the box says what Copy did');
  const clipboard = await page.evaluate(() => navigator.clipboard.readText());
  return { status, clipboard };
}

/** Closes the box again. */
export async function closeDiagnostics(page) {
  assert.ok(await clickCardAction(page, 'diagnostics'), 'the box can be closed');
  await poll(async () => (await guideNodeText(page, isPreview)) === null, 'the diagnostics box closes');
}

/** The JSON inside a copied text, parsed. */
export function parseDiagnostics(text) {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  assert.ok(start >= 0 && end > start, `no JSON block in: ${text.slice(0, 400)}`);
  return JSON.parse(text.slice(start + BEGIN.length, end));
}
