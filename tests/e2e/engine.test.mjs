// The Rust content script starts under any page CSP: real wasm where the page allows it, the
// wasm2js translation where the page's CSP forbids WebAssembly compilation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordConsole, guideRoot, withFixtures } from './harness.mjs';

let server, browser;
withFixtures((env) => ({ server, browser } = env));

async function engineOn(url, csp) {
  const host = new URL(url).hostname;
  server.csp[host] = csp;
  const page = await browser.context.newPage();
  const log = recordConsole(page);
  const response = await page.goto(url);
  const header = response.headers()['content-security-policy'];
  const root = await guideRoot(page);
  const engine = await root.getAttribute('data-engine');
  await page.close();
  return { engine, header, log };
}

test('strict CSP page runs the JavaScript translation of the Rust crate', async () => {
  const { engine, header, log } = await engineOn('https://login.microsoftonline.com/common/oauth2/v2.0/authorize', 'strict');
  assert.match(header, /default-src 'self'/);
  assert.match(header, /require-trusted-types-for 'script'/);
  assert.equal(engine, 'js', log.join('\n'));
  assert.ok(log.some((line) => line.includes('engine: js')), log.join('\n'));
});

// The loader asks the page's CSP with an 8-byte module before it fetches anything, so a page that
// refuses WebAssembly never has the .wasm fetched only to refuse it; each page fetches only the
// engine that runs.
async function engineRequests(url, csp) {
  const host = new URL(url).hostname;
  server.csp[host] = csp;
  const page = await browser.context.newPage();
  const log = recordConsole(page);
  const seen = [];
  const listener = (r) => { if (r.url().startsWith('chrome-extension://')) seen.push(new URL(r.url()).pathname); };
  browser.context.on('request', listener);
  try {
    await page.goto(url);
    const root = await guideRoot(page);
    // The root says which engine runs once it runs: both loads are behind it.
    await page.waitForSelector('#o365-reauth-guide[data-engine]', { state: 'attached' });
    return { engine: await root.getAttribute('data-engine'), seen, log };
  } finally {
    browser.context.off('request', listener);
    await page.close();
  }
}

test('a page that refuses WebAssembly gets the JS engine without the .wasm being fetched', async () => {
  for (const url of ['https://login.microsoftonline.com/common/oauth2/v2.0/authorize', 'https://acme-admin.okta.com/admin/dashboard']) {
    const { engine, seen, log } = await engineRequests(url, 'strict');
    assert.equal(engine, 'js', log.join('\n'));
    assert.ok(seen.includes('/engine/reauth_guide_js.js'), `the JS engine's load not seen on ${url}: ${seen}`);
    assert.ok(!seen.includes('/engine/reauth_guide_bg.wasm'), `the .wasm was fetched on ${url}, whose CSP refuses it: ${seen}`);
  }
  // And the other way round: a page that allows it gets only the .wasm.
  const { engine, seen, log } = await engineRequests('https://acme-admin.okta.com/admin/dashboard', 'none');
  assert.equal(engine, 'wasm', log.join('\n'));
  assert.ok(seen.includes('/engine/reauth_guide_bg.wasm'), `the .wasm's load not seen: ${seen}`);
  assert.ok(!seen.includes('/engine/reauth_guide_js.js'), `the JS engine was fetched where wasm runs: ${seen}`);
});

test('page without CSP runs real WebAssembly', async () => {
  const { engine, header, log } = await engineOn('https://acme-admin.okta.com/admin/dashboard', 'none');
  assert.equal(header, undefined);
  assert.equal(engine, 'wasm', log.join('\n'));
  assert.ok(log.some((line) => line.includes('engine: wasm')), log.join('\n'));
});

test('strict CSP on the Okta host also falls back to JavaScript', async () => {
  const { engine, log } = await engineOn('https://acme-admin.okta.com/admin/dashboard', 'strict');
  assert.equal(engine, 'js', log.join('\n'));
});

test('the JS engine keeps working after its memory grows (large page, long strings)', async () => {
  server.csp['acme-admin.okta.com'] = 'strict';
  const page = await browser.context.newPage();
  const log = recordConsole(page);
  try {
    await page.goto('https://acme-admin.okta.com/admin/dashboard');
    const root = await guideRoot(page);
    await page.waitForSelector('#o365-reauth-guide[data-step]');
    assert.equal(await root.getAttribute('data-engine'), 'js');
    // Thousands of clickable elements with long names make the engine allocate (and wasm2js
    // grow its memory) on every look; strings built afterwards must still arrive intact.
    await page.evaluate(() => {
      const list = document.createElement('div');
      for (let i = 0; i < 4000; i++) {
        const link = document.createElement('a');
        link.href = `/admin/app/other/instance/${i}/`;
        link.textContent = `Application number ${i} `.repeat(12);
        list.append(link);
      }
      document.body.append(list);
    });
    await page.waitForTimeout(1500);
    assert.equal(await page.locator('#o365-reauth-guide').count(), 1, log.join('\n'));
    assert.ok(!log.some((line) => /panicked|RuntimeError|unreachable|could not start/.test(line)), log.join('\n'));
    // Still guiding: the Applications step's target is marked.
    await page.waitForSelector('[data-reauth-step="applications"]', { timeout: 5000 });
  } finally {
    await page.close();
  }
});
