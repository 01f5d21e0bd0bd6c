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
