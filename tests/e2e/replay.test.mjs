// Replay: from a diagnostics report alone, a static page with the same outline is rebuilt and
// served at the report's host and path with the report's step stored as progress; the guide's
// locator must mark the very element it had marked on the page the report came from. One test
// per file in tests/e2e/replay/ (a replica dialect's step each): drop a file there to add one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordConsole, withFixtures } from './harness.mjs';
import { waitForStep, marked } from './guide.mjs';
import { writeLocal, clearLocal } from './inspect.mjs';
import { replayReports, rebuildPage, markedCount } from './replay.mjs';

let server, browser;
withFixtures((env) => ({ server, browser } = env));

const reports = replayReports();

test('there is a replay report for dialect A on Okta and on Microsoft', () => {
  const files = reports.map((r) => r.file);
  assert.ok(files.some((f) => f.startsWith('dialect-a-okta-')) && files.some((f) => f.startsWith('dialect-a-microsoft-')), files.join(', '));
});

for (const { file, report } of reports) {
  test(`replay of ${file}: the marker lands on the element marked in the field`, async () => {
    const { host, path, hash } = report.location;
    const expected = markedCount(report.outline.root);
    assert.ok(expected > 0, `${file}: the report's outline holds the marked element`);
    server.pages[host + path] = rebuildPage(report);
    server.csp[host] = 'none';
    const now = Date.now();
    await clearLocal(browser.context);
    await writeLocal(browser.context, {
      [`org:${report.org}`]: { schema: 1, org: report.org, step: report.step, startedAt: now, updatedAt: now, history: [{ step: report.step, at: now }] },
      active: report.org,
    });
    const page = await browser.context.newPage();
    const log = recordConsole(page);
    try {
      await page.goto(`https://${host}${path}${hash && !hash.includes('…') ? `#${hash}` : ''}`);
      assert.ok(await page.locator('[data-replay-marked]').count() > 0, 'the rebuilt page is served');
      await waitForStep(page, report.step);
      const deadline = Date.now() + 10_000;
      let now;
      while (Date.now() < deadline) {
        now = await page.evaluate(() => [...document.querySelectorAll('[data-reauth-step]')].map((e) => e.hasAttribute('data-replay-marked')));
        if (now.length === expected && now.every(Boolean)) break;
        await page.waitForTimeout(100);
      }
      assert.ok(now.length === expected && now.every(Boolean), `${file}: marked ${JSON.stringify(await marked(page))}, expected ${expected} element(s) with data-replay-marked`);
    } catch (error) {
      error.message += `\n--- console ---\n${log.join('\n')}`;
      throw error;
    } finally {
      await page.close();
      delete server.pages[host + path];
    }
  });
}
