// Browsers for the bench: Debian Chromium with a chosen set of unpacked extensions (ours, the
// driver.js comparison, or none), the real host names mapped to the fixture server, and the
// in-page probe that times the first highlight from the page's own (main) world.
import { chromium } from 'playwright-core';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Chromium's id for an unpacked extension directory: from its manifest's key, else its path. */
export function extensionId(dir) {
  const { key } = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  return createHash('sha256').update(key ? Buffer.from(key, 'base64') : realpathSync(dir)).digest('hex').slice(0, 32)
    .replace(/[0-9a-f]/g, (c) => String.fromCharCode(97 + parseInt(c, 16)));
}

export async function launch(server, tmpRoot, extensions = []) {
  mkdirSync(tmpRoot, { recursive: true });
  const userDataDir = mkdtempSync(join(tmpRoot, 'profile-'));
  const port = server.port;
  const dirs = extensions.map((d) => realpathSync(d));
  const args = [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--lang=en-US',
    `--host-resolver-rules=MAP *.okta.com 127.0.0.1:${port}, MAP login.microsoftonline.com 127.0.0.1:${port}`,
    '--ignore-certificate-errors',
  ];
  if (dirs.length) {
    args.push(`--disable-extensions-except=${dirs.join(',')}`, `--load-extension=${dirs.join(',')}`);
  }
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    locale: 'en-US',
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 800 },
    args,
  });
  const close = async () => {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, close };
}

/**
 * Installed in the page's main world before any page script (page.addInitScript), given
 * `{ kind, target, step }`: who highlights ('guide', 'driver', or 'page': no extension), the
 * target's selector (default `#m-verify-button`) and our step's id (default `test-api`). Records,
 * with performance.now():
 *   started   – the extension's script is running (our root element / driver.js's flag appears);
 *   marked    – the MutationObserver callback in which the highlight first shows: for our guide
 *               the target with `data-reauth-step=<step>` and the root in data-state
 *               "highlighting"; for driver.js, the target with `.driver-active-element`; for
 *               kind "page" (no extension: the floor) the target itself;
 *   present   – the target element is in the page (whoever marks it);
 *   frameEnds – for every animation frame, a MessageChannel task posted from a rAF callback: it
 *               runs once that frame's rendering update (style, layout, paint) is done. "Drawn" is
 *               the first frame end after `marked`: the frame that painted the highlight.
 */
export function probe(options) {
  const { kind, target = '#m-verify-button', step = 'test-api' } = typeof options === 'string' ? { kind: options } : options;
  const p = (window.__bench = { marked: null, started: null, present: null, frameEnds: [], inserted: null });
  // The extension's script is running: our guide's root element exists / driver.js's content
  // script flagged <html>.
  const isStarted = {
    guide: () => !!document.getElementById('o365-reauth-guide'),
    driver: () => document.documentElement?.hasAttribute('data-bench-driver'),
    page: () => true,
  }[kind];
  const isMarked = {
    guide: () => !!document.querySelector(`${target}[data-reauth-step="${step}"]`)
      && !!document.querySelector('#o365-reauth-guide[data-state="highlighting"]'),
    driver: () => !!document.querySelector(`${target}.driver-active-element`),
    page: () => !!document.querySelector(target),
  }[kind];
  const observer = new MutationObserver(() => {
    if (p.started === null && isStarted()) p.started = performance.now();
    if (p.present === null && document.querySelector(target)) p.present = performance.now();
    if (p.marked === null && isMarked()) {
      p.marked = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-reauth-step', 'data-state', 'class', 'data-bench-driver'] });
  const channel = new MessageChannel();
  channel.port1.onmessage = () => p.frameEnds.push(performance.now());
  const started = performance.now();
  const frame = () => {
    channel.port2.postMessage(0);
    const last = p.frameEnds[p.frameEnds.length - 1];
    if (p.marked !== null && last > p.marked) return;
    if (performance.now() - started > 60_000) return;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  p.result = () => {
    const nav = performance.getEntriesByType('navigation')[0];
    const drawn = p.marked === null ? null : p.frameEnds.find((t) => t > p.marked) ?? null;
    // The frame that first painted the target itself: a highlight in that frame is as early as
    // the page allows.
    const targetDrawn = p.present === null ? null : p.frameEnds.find((t) => t > p.present) ?? null;
    return { dcl: nav ? nav.domContentLoadedEventStart : null, started: p.started, marked: p.marked, drawn, present: p.present, targetDrawn, inserted: p.inserted };
  };
}

/** Waits until the probe has both the highlight and the frame that drew it. */
export async function probeResult(page, timeout = 20_000) {
  await page.waitForFunction(() => {
    const r = window.__bench?.result();
    return r && r.marked !== null && r.drawn !== null;
  }, null, { timeout, polling: 20 });
  return page.evaluate(() => window.__bench.result());
}
