// Looking at what the extension holds and draws, from outside: its storage (read from its own
// popup page), and the guide's closed shadow root (through CDP, which pierces closed roots).
import { EXTENSION_ID } from './harness.mjs';

export const ORG_KEY = 'org:acme.okta.com';

/** Opens the extension's own page, where `chrome.storage` is reachable. */
export async function extensionPage(context) {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
  await page.waitForFunction(() => typeof chrome !== 'undefined' && !!chrome.storage?.local);
  return page;
}

async function withExtensionPage(context, fn, arg) {
  const page = await extensionPage(context);
  try {
    return await page.evaluate(fn, arg);
  } finally {
    await page.close();
  }
}

/** Everything the extension stores: every storage area it can use, and its origin's web storage. */
export function dumpStorage(context) {
  return withExtensionPage(context, async () => {
    const area = async (name) => (chrome.storage[name] ? chrome.storage[name].get(null).catch((e) => `unavailable: ${e}`) : null);
    const databases = (await indexedDB.databases?.()) ?? [];
    return {
      local: await area('local'),
      sync: await area('sync'),
      session: await area('session'),
      localStorage: { ...localStorage },
      sessionStorage: { ...sessionStorage },
      indexedDB: databases.map((d) => d.name),
      caches: 'caches' in globalThis ? await caches.keys() : [],
    };
  });
}

export function readLocal(context, keys = null) {
  return withExtensionPage(context, (keys) => chrome.storage.local.get(keys), keys);
}

export function writeLocal(context, items) {
  return withExtensionPage(context, (items) => chrome.storage.local.set(items), items);
}

export function clearLocal(context) {
  return withExtensionPage(context, () => chrome.storage.local.clear());
}

/** The page's whole DOM, shadow roots (closed ones too) and frames included, as CDP sees it. */
export async function piercedDocument(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    return { root };
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/**
 * Walks a CDP node tree: children, open and closed shadow roots, frame documents. The browser's
 * own user-agent shadow roots (an input's inner editor shows its value) are not page content.
 */
export function* walkNodes(node, path = []) {
  yield { node, path };
  const shadows = (node.shadowRoots ?? []).filter((r) => r.shadowRootType !== 'user-agent');
  const kids = [...shadows, ...(node.children ?? []), ...(node.contentDocument ? [node.contentDocument] : [])];
  for (const kid of kids) yield* walkNodes(kid, [...path, node]);
}

/** Every string a node carries: name, value, attributes. */
export function nodeStrings(node) {
  return [node.nodeName, node.nodeValue ?? '', ...(node.attributes ?? []), node.value ?? ''].filter(Boolean);
}

/** The guide's root element as CDP sees it, or null. */
export function findGuide(root) {
  for (const { node } of walkNodes(root)) {
    const attrs = node.attributes ?? [];
    for (let i = 0; i < attrs.length; i += 2) {
      if (attrs[i] === 'id' && attrs[i + 1] === 'o365-reauth-guide') return node;
    }
  }
  return null;
}

export function attr(node, name) {
  const attrs = node.attributes ?? [];
  for (let i = 0; i < attrs.length; i += 2) if (attrs[i] === name) return attrs[i + 1];
  return null;
}

/** The visible text inside the guide's (closed) shadow root, joined by spaces. */
export async function guideText(page) {
  const { root } = await piercedDocument(page);
  const guide = findGuide(root);
  if (!guide) return null;
  const texts = [];
  for (const { node } of walkNodes(guide)) {
    if (node.nodeType === 3 && node.nodeValue.trim()) texts.push(node.nodeValue.trim());
  }
  return texts.join(' ');
}

/** Polls `guideText` until `predicate(text)` holds; returns the last text. */
export async function waitForGuideText(page, predicate, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  let text;
  while (Date.now() < deadline) {
    text = await guideText(page).catch(() => null);
    if (text !== null && predicate(text)) return text;
    await page.waitForTimeout(100);
  }
  return text;
}

/**
 * The rings the overlay draws and the elements marked for a step (in any shadow root or frame),
 * as border-box rectangles in the top frame's viewport, read through one CDP session.
 */
export async function ringsAndTarget(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const guide = findGuide(root);
    const rings = [];
    if (guide) {
      for (const { node } of walkNodes(guide)) {
        if (node.nodeName === 'DIV' && attr(node, 'class') === 'ring') {
          const box = await cdp.send('DOM.getBoxModel', { nodeId: node.nodeId }).catch(() => null);
          if (box) rings.push(quadRect(box.model.border));
        }
      }
    }
    const targets = [];
    for (const { node } of walkNodes(root)) {
      const step = attr(node, 'data-reauth-step');
      if (step === null) continue;
      const box = await cdp.send('DOM.getBoxModel', { nodeId: node.nodeId }).catch(() => null);
      targets.push({ step, tag: node.localName, rect: box ? quadRect(box.model.border) : null });
    }
    return { rings, targets };
  } finally {
    await cdp.detach().catch(() => {});
  }
}

function quadRect(quad) {
  const xs = [quad[0], quad[2], quad[4], quad[6]];
  const ys = [quad[1], quad[3], quad[5], quad[7]];
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}
