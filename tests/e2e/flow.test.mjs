// The guided re-authentication end to end, on the replicas, in English and Dutch, on the JS
// (strict CSP) and wasm (no CSP) engines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, recordConsole } from './harness.mjs';
import { guideState } from './guide.mjs';
import { walkOktaToMicrosoft, walkMicrosoft, walkBackInOkta, ORG_HOST } from './walk.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser(server);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

for (const [lang, engine, org] of [['en', 'js', 'acme'], ['nl', 'wasm', 'globex']]) {
  test(`the whole roadmap in ${lang} on the ${engine} engine`, async () => {
    server.csp[ORG_HOST(org)] = engine === 'wasm' ? 'none' : 'strict';
    const page = await browser.context.newPage();
    const log = recordConsole(page);
    try {
      await walkOktaToMicrosoft(page, { org, lang });
      await walkMicrosoft(page, { account: `admin@${org}.onmicrosoft.com` });
      await walkBackInOkta(page, { org });
      assert.equal((await guideState(page)).engine, engine);
    } catch (error) {
      error.message += `\n--- console ---\n${log.join('\n')}`;
      throw error;
    } finally {
      await page.close();
    }
  });
}
