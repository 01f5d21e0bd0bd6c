// The stores' screenshots (docs/store/screenshots/, 1280×800): the guide at four key steps, in
// English and Dutch, taken once the overlay has settled, and only if the card covers neither the
// highlighted target nor its label. (That the card covers nothing the step needs, at every step
// of both dialects, Consent's permission list and Save's evidence included, is card.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { recordConsole, startServer, launchBrowser } from './harness.mjs';
import { settled, overlap } from './guide.mjs';
import { walkOktaToMicrosoft, walkMicrosoft, walkBackInOkta, ORG_HOST } from './walk.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.close(); });

const OUT = fileURLToPath(new URL('../../docs/store/screenshots/', import.meta.url));
// Re-authenticate in Okta, Microsoft's sign-in and consent, the credentials test back in Okta.
const SHOTS = ['reauthenticate', 'microsoft-sign-in', 'consent', 'test-api'];


/** The marked target's box, and the boxes of what its step refers to (labels it names). */
const targetBoxes = (page, step) => page.evaluate((step) => {
  const box = (el) => { const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height, what: el.outerHTML.slice(0, 80) }; };
  const marked = [...document.querySelectorAll(`[data-reauth-step="${step}"]`)];
  // The target's own label (its text is what the card names).
  const labels = marked.flatMap((el) => (el.labels ? [...el.labels] : []));
  return [...marked, ...labels].filter((el) => el.getBoundingClientRect().width > 0).map(box);
}, step);

/** The settled card and the step's boxes. */
const settledAt = (page, step) => settled(page, () => targetBoxes(page, step), `the overlay at ${step}`);

for (const [lang, org] of [['en', 'shots'], ['nl', 'schermen']]) {
  test(`store screenshots in ${lang}: the card covers neither target nor its label`, async () => {
    mkdirSync(OUT, { recursive: true });
    server.csp[ORG_HOST(org)] = 'none';
    // The guide speaks the browser's language: a browser in each.
    const browser = await launchBrowser(server, { locale: lang === 'nl' ? 'nl' : 'en-US' });
    const page = await browser.context.newPage();
    const log = recordConsole(page);
    const taken = [];
    const shot = async (step) => {
      if (!SHOTS.includes(step)) return;
      const [card, targets] = await settledAt(page, step);
      assert.ok(card, `no card at ${step}`);
      assert.ok(targets.length, `nothing marked at ${step}`);
      for (const target of targets) {
        assert.equal(overlap(card, target), false, `${lang} ${step}: the card ${JSON.stringify(card)} covers ${target.what} ${JSON.stringify(target)}`);
      }
      const n = SHOTS.indexOf(step) + 1;
      await page.screenshot({ path: `${OUT}${lang}-${n}-${step}.png` });
      taken.push(step);
    };
    try {
      await walkOktaToMicrosoft(page, { org, lang, shot });
      await walkMicrosoft(page, { account: `admin@${org}.onmicrosoft.com`, shot });
      await walkBackInOkta(page, { org, shot });
      assert.deepEqual(taken, SHOTS);
    } catch (error) {
      error.message += `\n--- console ---\n${log.join('\n')}`;
      throw error;
    } finally {
      await browser.close();
    }
  });
}
