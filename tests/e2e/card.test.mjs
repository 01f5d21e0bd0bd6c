// The card as a good guest (issue 14), checked on the shipped card as the extension draws it:
// axe-core finds nothing wrong with it in light, dark and forced colours and in Dutch; it says its
// language; under forced colours its ring and cut-out keep system colours, under reduced motion it
// does not glide; and at every step of a whole walk on both replica dialects (English at 1280×800,
// Dutch at 1024×640) it covers neither the marked target nor what the step asks the admin to see.
// Run: node --test --test-concurrency=1 card.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { recordConsole, startServer, launchBrowser } from './harness.mjs';
import { onMarked, waitForStep, settled, overlap } from './guide.mjs';
import { walkOktaToMicrosoft, walkMicrosoft, walkBackInOkta, ORG_HOST } from './walk.mjs';
import { walkOktaToReauthenticate, handOff, signInAtMicrosoft, acceptAtMicrosoft, backToOkta, testAndSave } from './walk-b.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.close(); });

/** Runs `body(page)` in a fresh browser (`locale` its UI language); on failure adds the console. */
async function withBrowser(locale, body) {
  const browser = await launchBrowser(server, { locale });
  const page = await browser.context.newPage();
  const log = recordConsole(page);
  try {
    await body(page, browser.context);
  } catch (error) {
    error.message += `\n--- console ---\n${log.slice(-40).join('\n')}`;
    throw error;
  } finally {
    await browser.close();
  }
}

// ------------------------------------------------------------------ the card's own nodes, via CDP

/** Runs `fn(cdp, nodes)` with the guide's host, its closed shadow root and the card as CDP nodes
 * (DOM.getDocument with `pierce` reaches into closed shadow roots; page scripts cannot). */
async function withCard(page, fn) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const attr = (n, name) => { const a = n.attributes ?? []; for (let i = 0; i < a.length; i += 2) if (a[i] === name) return a[i + 1]; return null; };
    const all = function* (n) { yield n; for (const k of [...(n.shadowRoots ?? []), ...(n.children ?? [])]) yield* all(k); };
    let host = null;
    for (const n of all(root)) if (attr(n, 'id') === 'o365-reauth-guide') { host = n; break; }
    assert.ok(host?.shadowRoots?.length, 'the guide has its shadow root');
    const shadow = host.shadowRoots[0];
    let card = null;
    let ring = null;
    let veil = null;
    for (const n of all(shadow)) {
      const cls = (attr(n, 'class') ?? '').split(' ');
      if (!card && n.localName === 'section' && cls.includes('card')) card = n;
      if (!ring && cls.includes('ring')) ring = n;
      if (!veil && n.localName === 'path') veil = n;
    }
    const object = async (node) => node && (await cdp.send('DOM.resolveNode', { nodeId: node.nodeId })).object.objectId;
    /** Calls `fn` with `this` = the node, in the page's main world; returns its JSON value. */
    const call = async (node, declaration, args = []) => {
      const { result, exceptionDetails } = await cdp.send('Runtime.callFunctionOn', {
        objectId: await object(node), functionDeclaration: declaration, arguments: args, returnByValue: true, awaitPromise: true,
      });
      if (exceptionDetails) throw new Error(`${declaration.slice(0, 60)}…: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
      return result.value;
    };
    return await fn({ cdp, host, shadow, card, ring, veil, object, call });
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/**
 * axe-core on the live card. axe walks shadow trees through `host.shadowRoot`, which a closed root
 * leaves null. So the test resolves the real closed ShadowRoot through CDP and gives the host, in
 * the page's main world only, a `shadowRoot` getter returning it; axe (injected into the page)
 * then audits the shipped markup with its adopted stylesheet, real colours and real position over
 * the page. The extension runs in its isolated world and never sees the getter; it is removed
 * afterwards. Returns the violations and what axe could not decide, with how many of the card's
 * buttons it checked for a name and how many texts for contrast (proof that it looked inside).
 */
async function axeOnCard(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  return withCard(page, async ({ host, shadow, call, object }) => {
    await call(host, 'function (root) { Object.defineProperty(this, "shadowRoot", { configurable: true, get: () => root }); }', [{ objectId: await object(shadow) }]);
    try {
      return await page.evaluate(async () => {
        // axe reads what lies under each text (for colour contrast) from a grid it builds by
        // walking document.body; the guide's host is on <html>, beside the body (so that a
        // transformed body cannot shift it). For this run, that walk covers all of <html>.
        const create = document.createTreeWalker;
        document.createTreeWalker = function (root, ...rest) {
          if (root !== document.body) return create.call(this, root, ...rest);
          const walker = create.call(this, document.documentElement, ...rest);
          walker.currentNode = document.documentElement.firstElementChild;
          return walker;
        };
        let result;
        try {
          result = await axe.run({ include: [['#o365-reauth-guide']] });
        } finally {
          delete document.createTreeWalker;
        }
        const named = result.passes.find((r) => r.id === 'button-name');
        return {
          violations: result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary})`).join('; ')}`),
          buttonsChecked: named ? named.nodes.length : 0,
          // What axe could not decide (a colour it could not read) would pass unseen otherwise.
          incomplete: result.incomplete.map((r) => `${r.id}: ${r.nodes.map((n) => n.target.join(' ')).join(', ')}`),
          contrastChecked: result.passes.filter((r) => r.id === 'color-contrast').flatMap((r) => r.nodes).length,
        };
      });
    } finally {
      await call(host, 'function () { delete this.shadowRoot; }');
    }
  });
}

/** The card's language and direction (from the nearest element inside the shadow root saying so). */
const cardLanguage = (page) => withCard(page, ({ card, call }) => call(card, 'function () { const e = this.closest("[lang]"); const d = this.closest("[dir]"); return { lang: e && e.lang, dir: d && d.dir, buttons: this.querySelectorAll("button").length }; }'));

// ------------------------------------------------------------------ what the card must leave visible

/**
 * Per step, what the admin must still see besides the marked target(s), as selectors that hold on
 * either dialect's replica pages (tests/fixtures/okta, microsoft, dialect-b): the credentials
 * fields the Re-authenticate card talks about, the form's actions, the success message and check
 * marks that are the evidence at Save, Microsoft's fields, "Forgot my password" and its buttons.
 * Each target's own labels count everywhere.
 */
const CREDENTIALS = '[data-se=o-form-fieldset-username] input, [data-se=o-form-fieldset-password] input, input[name=adminUsername], input[name=adminPassword]';
const FORM_ACTIONS = '#m-verify-button, [id="userMgmtSettings.button.submit"], div.o365-verify-credentials, button.o-form-save';
const EVIDENCE = '[data-se=callout-success], .infobox-confirm, .success-16-green';
const MICROSOFT = '#loginHeader, #loginHeaderPw, #i0116, #i0118, #idA_PWD_ForgotPassword, #idSIButton9, #idBtn_Back, #usernameError, #passwordError, #kmsiTitle, #KmsiCheckboxField, #otc, #idTxtBx_SAOTCC_OTC, #idSubmit_SAOTCC_Continue, #idRichContext_DisplaySign';
const KEEP = {
  reauthenticate: [CREDENTIALS, FORM_ACTIONS],
  'microsoft-sign-in': [MICROSOFT],
  consent: ['#consentHeader, #permissionList, #scopeList, #idSIButton9, #idBtn_Back, #cbConsentOnBehalfOfOrg'],
  'test-api': [CREDENTIALS, FORM_ACTIONS],
  'test-failed': [CREDENTIALS, FORM_ACTIONS],
  checkmarks: [EVIDENCE, FORM_ACTIONS],
  save: [EVIDENCE],
};

/** The marked targets' and the step's keep-visible boxes, in viewport pixels (open shadow roots
 * included: dialect B's side nav lives in one). */
const stepBoxes = (page, step) => page.evaluate(({ keep }) => {
  const roots = [document];
  for (let i = 0; i < roots.length; i++) for (const el of roots[i].querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
  const q = (sel) => roots.flatMap((r) => [...r.querySelectorAll(sel)]);
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }); };
  const withLabels = (els) => els.flatMap((el) => [el, ...(el.labels ? [...el.labels] : [])]);
  const box = (el, kind) => {
    const r = el.getBoundingClientRect();
    return { kind, what: el.outerHTML.slice(0, 90), x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height) };
  };
  const targets = q('[data-reauth-step]').filter(shown);
  const kept = withLabels(keep.flatMap(q)).filter((el) => shown(el) && !targets.includes(el));
  const targetLabels = withLabels(targets).filter((el) => shown(el) && !targets.includes(el));
  return [...targets.map((el) => box(el, 'target')), ...[...new Set([...targetLabels, ...kept])].map((el) => box(el, 'keep'))];
}, { keep: KEEP[step] ?? [] });

/** The settled card and the step's boxes. */
const settledAt = (page, step) => settled(page, () => stepBoxes(page, step), `the overlay at ${step}`);


/** A check for onMarked: at each marked step, the settled card covers none of the step's boxes.
 * `seen` collects what was checked. */
function placementCheck(page, dialect, seen) {
  return async (step, selector) => {
    const [card, boxes] = await settledAt(page, step);
    assert.ok(card, `${dialect} ${step}: no card`);
    assert.ok(boxes.some((b) => b.kind === 'target'), `${dialect} ${step}: nothing marked`);
    const covered = boxes.filter((b) => overlap(card, b));
    assert.deepEqual(covered, [], `${dialect} ${step} (${selector}) at ${page.url()}: the card ${JSON.stringify(card)} covers ${JSON.stringify(covered)}`);
    seen.push({ step, keep: boxes.filter((b) => b.kind === 'keep').length });
  };
}

// Every step of the roadmap a whole walk marks something at.
const ROADMAP = ['applications', 'find-app', 'provisioning-tab', 'integration', 'edit', 'reauthenticate', 'microsoft-sign-in', 'consent', 'test-api', 'checkmarks', 'save'];

function assertWholeWalk(seen, dialect) {
  assert.deepEqual([...new Set(seen.map((s) => s.step))], ROADMAP, `${dialect}: every step was checked`);
  for (const step of Object.keys(KEEP).filter((s) => ROADMAP.includes(s))) {
    assert.ok(seen.some((s) => s.step === step && s.keep > 0), `${dialect} ${step}: the keep-visible selectors found nothing on the page (fixture changed?)`);
  }
}

// Each dialect in English at the replicas' usual 1280×800, and in Dutch (longer texts, a taller
// card) in the smallest viewport the layout table covers, 1024×640.
const PLACEMENTS = [
  { locale: 'en-US', lang: 'en', viewport: { width: 1280, height: 800 } },
  { locale: 'nl', lang: 'nl', viewport: { width: 1024, height: 640 } },
];

for (const { locale, lang, viewport } of PLACEMENTS) {
  const where = `${lang}, ${viewport.width}×${viewport.height}`;
  test(`dialect A (${where}): at every step of the whole roadmap the card covers neither the target nor what the step needs seen`, () => withBrowser(locale, async (page) => {
    const org = `cardplace${lang}`;
    server.dialect = 'a';
    server.csp[ORG_HOST(org)] = 'none';
    await page.setViewportSize(viewport);
    const seen = [];
    onMarked(page, placementCheck(page, `A ${where}`, seen));
    await walkOktaToMicrosoft(page, { org, lang });
    await walkMicrosoft(page, { account: `admin@${org}.onmicrosoft.com` });
    await walkBackInOkta(page, { org });
    assertWholeWalk(seen, `A ${where}`);
  }));

  test(`dialect B (${where}): at every step of the whole roadmap the card covers neither the target nor what the step needs seen`, () => withBrowser(locale, async (page) => {
    const org = `bcardplace${lang}`;
    server.dialect = 'b';
    server.msKnobs = {};
    server.csp[ORG_HOST(org)] = 'none';
    await page.setViewportSize(viewport);
    const seen = [];
    onMarked(page, placementCheck(page, `B ${where}`, seen));
    try {
      await walkOktaToReauthenticate(page, { org });
      const ms = await handOff(page);
      await signInAtMicrosoft(ms, { account: `admin@${org}.onmicrosoft.com` });
      await acceptAtMicrosoft(ms);
      await backToOkta(page, ms, { org });
      await testAndSave(page);
    } finally {
      server.dialect = 'a';
    }
    assertWholeWalk(seen, `B ${where}`);
  }));
}

// ------------------------------------------------------------------ axe, language, forced colours

/** The colour `name` (a CSS system colour) resolves to on this page now. */
const systemColour = (page, name) => page.evaluate((name) => {
  const probe = document.createElement('span');
  probe.style.cssText = `forced-color-adjust:none;color:${name}`;
  document.documentElement.append(probe);
  const colour = getComputedStyle(probe).color;
  probe.remove();
  return colour;
}, name);

/** Walks to Re-authenticate (a full card: progress, title, text, why, actions) and runs `check`. */
async function atReauthenticate(page, org, lang, check) {
  server.dialect = 'a';
  server.csp[ORG_HOST(org)] = 'none';
  let checked = false;
  await walkOktaToMicrosoft(page, {
    org, lang,
    shot: async (step) => {
      if (step !== 'reauthenticate') return;
      await settledAt(page, step);
      await check();
      checked = true;
    },
  });
  assert.ok(checked, 'the walk reached Re-authenticate');
}

test('axe finds no violation on the card in light, dark and forced colours; lang and dir are set; forced colours keep ring and cut-out', () => withBrowser('en-US', async (page) => {
  await atReauthenticate(page, 'cardaxe', 'en', async () => {
    assert.deepEqual(await cardLanguage(page).then(({ lang, dir }) => ({ lang, dir })), { lang: 'en', dir: 'ltr' });
    for (const [mode, media] of [['light', { colorScheme: 'light', forcedColors: 'none' }], ['dark', { colorScheme: 'dark', forcedColors: 'none' }], ['forced colours', { colorScheme: 'light', forcedColors: 'active' }]]) {
      await page.emulateMedia(media);
      await settledAt(page, 'reauthenticate');
      const { violations, incomplete, buttonsChecked, contrastChecked } = await axeOnCard(page);
      const { buttons } = await cardLanguage(page);
      assert.ok(buttons >= 2 && buttonsChecked >= buttons, `${mode}: axe checked the card's ${buttons} buttons (it saw ${buttonsChecked})`);
      assert.ok(contrastChecked >= buttons + 2, `${mode}: axe measured the contrast of the card's texts and buttons (${contrastChecked})`);
      assert.deepEqual(violations, [], `${mode}: axe on the card`);
      assert.deepEqual(incomplete, [], `${mode}: nothing axe could not decide`);
    }
    // Forced colours (still on): the ring is drawn in Highlight, the veil stays a translucent
    // system colour with its cut-out, so the highlight is still seen.
    const highlight = await systemColour(page, 'Highlight');
    const canvasText = await systemColour(page, 'CanvasText');
    const drawn = await withCard(page, async ({ ring, veil, call }) => ({
      ring: await call(ring, 'function () { const s = getComputedStyle(this); return { colour: s.borderTopColor, width: s.borderTopWidth }; }'),
      veil: await call(veil, 'function () { const s = getComputedStyle(this); return { fill: s.fill, opacity: Number(s.fillOpacity), shown: getComputedStyle(this.ownerSVGElement).display !== "none", holes: (this.getAttribute("d").match(/M/g) || []).length - 1 }; }'),
    }));
    assert.deepEqual(drawn.ring, { colour: highlight, width: '3px' }, 'the ring keeps the system Highlight colour');
    assert.ok(drawn.veil.shown && drawn.veil.holes >= 1, `the veil is drawn with its cut-out: ${JSON.stringify(drawn.veil)}`);
    assert.equal(drawn.veil.fill, canvasText, 'the veil is a system colour');
    assert.ok(drawn.veil.opacity > 0 && drawn.veil.opacity < 1, `the veil stays translucent: ${JSON.stringify(drawn.veil)}`);
    // Reduced motion: the card and ring jump instead of gliding.
    const transitions = () => withCard(page, async ({ card, ring, call }) => [
      await call(card, 'function () { return getComputedStyle(this).transitionDuration; }'),
      await call(ring, 'function () { return getComputedStyle(this).transitionDuration; }'),
    ]);
    await page.emulateMedia({ colorScheme: 'light', forcedColors: 'none', reducedMotion: 'no-preference' });
    assert.ok((await transitions()).every((d) => d !== '0s'), 'by default the card and ring move with a transition');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    assert.deepEqual(await transitions(), ['0s', '0s'], 'prefers-reduced-motion removes the transitions');
    await page.emulateMedia({ reducedMotion: 'no-preference' });
  });
}));

test('axe finds no violation on the Dutch card, which says it is Dutch', () => withBrowser('nl', async (page) => {
  await atReauthenticate(page, 'cardaxenl', 'nl', async () => {
    assert.deepEqual(await cardLanguage(page).then(({ lang, dir }) => ({ lang, dir })), { lang: 'nl', dir: 'ltr' });
    for (const [mode, media] of [['light', { colorScheme: 'light' }], ['dark', { colorScheme: 'dark' }]]) {
      await page.emulateMedia(media);
      await settledAt(page, 'reauthenticate');
      const { violations, incomplete, buttonsChecked, contrastChecked } = await axeOnCard(page);
      assert.ok(buttonsChecked >= 2 && contrastChecked >= 4, `nl ${mode}: axe checked the card's buttons and contrast`);
      assert.deepEqual(violations, [], `nl ${mode}: axe on the card`);
      assert.deepEqual(incomplete, [], `nl ${mode}: nothing axe could not decide`);
    }
  });
  await waitForStep(page, 'microsoft-sign-in');
}));

test('a change the page makes above the marks moves the ring with its target; one at the target is read again', () => withBrowser('en-US', async (page) => {
  await atReauthenticate(page, 'cardmoved', 'en', async () => {
    const centre = (r) => [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)];
    const target = async () => centre(await page.locator('[data-reauth-step="reauthenticate"]').boundingBox());
    const ring = () => withCard(page, ({ ring, call }) => call(ring, 'function () { const r = this.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; }')).then(centre);
    /** The ring's centre once it holds still (it glides for 120 ms). */
    const ringSettled = async () => {
      let last = null;
      for (let i = 0; i < 25; i++) {
        const now = JSON.stringify(await ring());
        if (now === last) return JSON.parse(now);
        last = now;
        await page.waitForTimeout(100);
      }
      assert.fail('the ring never held still');
    };
    // Within 2 px: the ring is the target's box padded, in whole pixels.
    const near = (a, b) => Math.abs(a[0] - b[0]) <= 2 && Math.abs(a[1] - b[1]) <= 2;
    const onTarget = async (what) => {
      const [r, t] = [await ringSettled(), await target()];
      assert.ok(near(r, t), `${what}: ring centred at ${r}, target at ${t}`);
    };
    await onTarget('the ring is on the target');
    // Past the grace after the admin's last click: a change beside the marks is not looked at.
    await page.waitForTimeout(3_300);
    const before = await target();
    await page.evaluate(() => {
      const banner = document.createElement('div');
      banner.id = 'page-banner';
      banner.style.height = '120px';
      banner.textContent = 'Scheduled maintenance tonight';
      document.body.prepend(banner);
    });
    const moved = await target();
    assert.equal(moved[1] - before[1], 120, 'the banner moved the target down');
    await onTarget('the ring followed it within a moment');
    // The page replaces the target itself: the new one is found and marked; then the original
    // (with the replica's click handler, which the walk goes on with) comes back.
    await page.evaluate(() => {
      const original = document.querySelector('[data-reauth-step="reauthenticate"]');
      const copy = original.cloneNode(true);
      copy.removeAttribute('data-reauth-step');
      copy.id = 'replaced-reauthenticate';
      original.replaceWith(copy);
      window.originalTarget = original;
    });
    await page.waitForSelector('#replaced-reauthenticate[data-reauth-step="reauthenticate"]', { state: 'attached', timeout: 3_000 });
    await page.evaluate(() => {
      document.getElementById('replaced-reauthenticate').replaceWith(window.originalTarget);
      document.getElementById('page-banner').remove();
    });
    await page.waitForFunction(() => window.originalTarget.dataset.reauthStep === 'reauthenticate', null, { timeout: 3_000 });
  });
  await waitForStep(page, 'microsoft-sign-in');
}));
