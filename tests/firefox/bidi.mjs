// A small WebDriver BiDi client for Debian's firefox-esr: no geckodriver and no browser download.
// Firefox speaks BiDi itself (--remote-debugging-port); the built extension is installed as a
// temporary add-on with `webExtension.install`. Needs a global WebSocket (Node 22, or Node 20 with
// --experimental-websocket). Firefox has no --host-resolver-rules: the fixture server's CONNECT
// proxy carries the real host names, and the session accepts its self-signed certificate.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const TMP = join(here, '..', '.tmp');

function prefs(proxyPort) {
  const p = {
    'network.proxy.type': 1,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': proxyPort,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': proxyPort,
    'network.proxy.no_proxies_on': '',
    'network.proxy.allow_hijacking_localhost': true,
    'network.dns.disablePrefetch': true,
    'network.http.speculative-parallel-limit': 0,
    'browser.shell.checkDefaultBrowser': false,
    'browser.startup.homepage_override.mstone': 'ignore',
    'browser.aboutwelcome.enabled': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'toolkit.telemetry.enabled': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'extensions.update.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'app.update.auto': false,
    'intl.locale.requested': 'en-US',
    'intl.accept_languages': 'en-US, en',
  };
  return Object.entries(p).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n') + '\n';
}

export async function launchFirefox({ proxyPort, firefox = process.env.FIREFOX || '/usr/bin/firefox-esr' }) {
  mkdirSync(TMP, { recursive: true });
  const profile = mkdtempSync(join(TMP, 'firefox-'));
  writeFileSync(join(profile, 'user.js'), prefs(proxyPort));
  const child = spawn(firefox, ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port', '0', 'about:blank'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' },
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Firefox did not start BiDi:\n${output}`)), 60_000);
    const onData = (chunk) => {
      output += chunk;
      const m = output.match(/WebDriver BiDi listening on (ws:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`Firefox exited (${code}):\n${output}`)); });
  });
  const bidi = await connect(`${url.replace(/\/$/, '')}/session`);
  const close = async () => {
    await bidi.send('browser.close', {}).catch(() => {});
    bidi.socket.close();
    await new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(); }, 10_000);
      child.on('exit', () => { clearTimeout(timer); resolve(); });
    });
    rmSync(profile, { recursive: true, force: true });
  };
  return { bidi, close, log: () => output };
}

async function connect(url) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), { once: true });
  });
  let next = 1;
  const pending = new Map();
  const listeners = [];
  socket.addEventListener('message', (event) => {
    const msg = JSON.parse(event.data);
    if (msg.id && pending.has(msg.id)) {
      const { resolve, reject } = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.type === 'error') reject(new Error(`${msg.error}: ${msg.message}`));
      else resolve(msg.result);
    } else if (msg.type === 'event') {
      for (const l of listeners) l(msg);
    }
  });
  const send = (method, params) => new Promise((resolve, reject) => {
    const id = next++;
    pending.set(id, { resolve, reject });
    socket.send(JSON.stringify({ id, method, params }));
  });
  return { socket, send, onEvent: (fn) => listeners.push(fn) };
}

/** One tab driven as the admin would: trusted pointer and key input, page reads in its realm. */
export class Tab {
  constructor(bidi, context) {
    this.bidi = bidi;
    this.context = context;
  }

  async goto(url) {
    await this.bidi.send('browsingContext.navigate', { context: this.context, url, wait: 'complete' });
  }

  /** Evaluates `expression` in the page; returns its JSON value. */
  async eval(expression) {
    const r = await this.bidi.send('script.evaluate', {
      expression: `JSON.stringify((() => { ${expression} })())`,
      target: { context: this.context },
      awaitPromise: false,
    });
    if (r.type === 'exception') throw new Error(`${expression}: ${r.exceptionDetails.text}`);
    return r.result.value === undefined ? undefined : JSON.parse(r.result.value);
  }

  async waitFor(expression, what, timeout = 15_000) {
    const deadline = Date.now() + timeout;
    let value;
    while (Date.now() < deadline) {
      value = await this.eval(expression).catch(() => undefined);
      if (value) return value;
      await new Promise((r) => setTimeout(r, 100));
    }
    const guide = await this.eval("const g = document.querySelector('#o365-reauth-guide'); return g && { ...g.dataset, url: location.href };").catch((e) => e.message);
    throw new Error(`timed out waiting for ${what}; guide: ${JSON.stringify(guide)}`);
  }

  url() {
    return this.eval('return location.href;');
  }

  /** Waits until `selector` is the (only) element marked for `step`, then clicks it. */
  /**
   * Clicks the element marked for `step`, as an admin would: once it holds still, and again if
   * the click was lost (the page, or the guide's marking, did not change within a few seconds).
   */
  async clickMarked(step, selector, { count = 1, pick } = {}) {
    await this.expectMarked(step, selector, { count });
    const target = pick ?? `:is(${selector})[data-reauth-step="${step}"]`;
    for (let attempt = 1; ; attempt++) {
      await this.settled(target);
      const tag = `c${Date.now()}`;
      await this.eval(`const e = document.querySelector(${JSON.stringify(target)}); if (e) e.__clicked = '${tag}'; return true;`);
      const before = await this.url();
      await this.click(target);
      const answered = await this.waitFor(
        `return location.href !== ${JSON.stringify(before)} || document.querySelector(${JSON.stringify(target)})?.__clicked !== '${tag}';`,
        `an answer to the click on ${target}`, 4000,
      ).then(() => true, () => false);
      if (answered || attempt === 3) return;
    }
  }

  /**
   * Waits until the element `selector` names stays the same node for a while: the replica
   * console replaces some nodes about a second after showing them (as React re-renders do), and
   * a click on the node being replaced is lost. Playwright retries such clicks; this driver waits.
   */
  async settled(selector, quietMs = 1300) {
    for (let attempt = 0; attempt < 8; attempt++) {
      const tag = `t${Date.now()}${attempt}`;
      const tagged = await this.eval(`const e = document.querySelector(${JSON.stringify(selector)}); if (e) e.__settle = '${tag}'; return !!e;`);
      await new Promise((r) => setTimeout(r, quietMs));
      if (tagged && await this.eval(`return document.querySelector(${JSON.stringify(selector)})?.__settle === '${tag}';`)) return;
    }
    throw new Error(`${selector} never settled`);
  }

  async expectMarked(step, selector, { count = 1 } = {}) {
    return this.waitFor(`
      const g = document.querySelector('#o365-reauth-guide');
      const all = [...document.querySelectorAll('[data-reauth-step]')];
      const wanted = new Set(document.querySelectorAll(${JSON.stringify(selector)}));
      return g?.dataset.step === ${JSON.stringify(step)} && all.length === ${count}
        && all.every((e) => wanted.has(e) && e.getAttribute('data-reauth-step') === ${JSON.stringify(step)});
    `, `${count} × ${selector} marked for ${step}`);
  }

  /** A trusted click in the middle of the element (WebDriver input, not a script). */
  async click(selector) {
    const r = await this.bidi.send('script.evaluate', {
      expression: `document.querySelector(${JSON.stringify(selector)})`,
      target: { context: this.context },
      awaitPromise: false,
      resultOwnership: 'root',
    });
    if (r.result?.type !== 'node') throw new Error(`no element ${selector}`);
    await this.bidi.send('script.callFunction', {
      functionDeclaration: '(e) => e.scrollIntoView({ block: "center" })',
      target: { context: this.context }, awaitPromise: false, arguments: [{ sharedId: r.result.sharedId }],
    });
    await this.bidi.send('input.performActions', {
      context: this.context,
      actions: [{
        type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' },
        actions: [
          { type: 'pointerMove', x: 0, y: 0, origin: { type: 'element', element: { sharedId: r.result.sharedId } } },
          { type: 'pointerDown', button: 0 },
          { type: 'pointerUp', button: 0 },
        ],
      }],
    });
  }

  async type(text) {
    const actions = [];
    for (const ch of text) actions.push({ type: 'keyDown', value: ch }, { type: 'keyUp', value: ch });
    await this.bidi.send('input.performActions', { context: this.context, actions: [{ type: 'key', id: 'keyboard', actions }] });
  }

  /** A trusted press of a named key (WebDriver's code points: Tab, Escape). */
  async press(name) {
    const value = { Tab: '\uE004', Escape: '\uE00C' }[name];
    if (!value) throw new Error(`no code for ${name}`);
    await this.bidi.send('input.performActions', { context: this.context, actions: [{ type: 'key', id: 'keyboard', actions: [{ type: 'keyDown', value }, { type: 'keyUp', value }] }] });
  }

  async typeInto(step, selector, text) {
    await this.expectMarked(step, selector);
    const target = `:is(${selector})[data-reauth-step="${step}"]`;
    await this.settled(target);
    await this.click(target);
    await this.type(text);
  }
}

export async function newSession(bidi, extensionDir) {
  await bidi.send('session.new', { capabilities: { alwaysMatch: { acceptInsecureCerts: true, unhandledPromptBehavior: { default: 'ignore' } } } });
  const { extension } = await bidi.send('webExtension.install', { extensionData: { type: 'path', path: extensionDir } });
  const { contexts } = await bidi.send('browsingContext.getTree', {});
  await bidi.send('session.subscribe', { events: ['log.entryAdded'] });
  return { extension, tab: new Tab(bidi, contexts[0].context) };
}
