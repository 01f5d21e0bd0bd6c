// Launches Debian Chromium with the built extension loaded, resolving the real host names to the
// local fixture server, so the shipped manifest's match patterns are what runs.
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../fixtures/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const EXTENSION_DIR = realpathSync(join(here, '..', '..', 'dist', 'extension'));
const TMP = join(here, '..', '.tmp');

/** Chromium's id from 32 hex digits: each mapped to a–p. */
const idFrom = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 32)
  .replace(/[0-9a-f]/g, (c) => String.fromCharCode(97 + parseInt(c, 16)));

/**
 * Chromium's id for an unpacked extension: SHA-256 of the manifest's public `key` when it has
 * one (the build gives unpacked loads a fixed key), else of the folder's path.
 */
export function extensionId(dir = EXTENSION_DIR) {
  const { key } = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  return key ? idFrom(Buffer.from(key, 'base64')) : idFrom(dir);
}

export const EXTENSION_ID = extensionId();

export { startServer };

/**
 * Starts Chromium with the extension. Pass `profileDir` to reuse a profile (a browser restart);
 * `locale` sets the browser's UI language (e.g. 'nl'); `extensionDir` loads the extension from
 * another folder.
 */
export async function launchBrowser(server, { profileDir, locale = 'en-US', extensionDir = EXTENSION_DIR } = {}) {
  mkdirSync(TMP, { recursive: true });
  const userDataDir = profileDir ?? mkdtempSync(join(TMP, 'profile-'));
  const port = server.port;
  const context = await launchWithRetry(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    locale,
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 800 },
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--lang=${locale}`,
      `--host-resolver-rules=MAP *.okta.com 127.0.0.1:${port}, MAP *.oktapreview.com 127.0.0.1:${port}, MAP login.microsoftonline.com 127.0.0.1:${port}`,
      '--ignore-certificate-errors',
    ],
  });
  const close = async ({ keepProfile = false } = {}) => {
    await context.close();
    if (!profileDir && !keepProfile) rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, userDataDir, close };
}

/**
 * Debian Chromium on a 2-core CI machine now and then dies with SIGSEGV while starting, before
 * any page exists (CI of 2026-12-03, test 90). That is the browser's start, not the extension
 * under test, so the launch alone is tried again, at most twice, and each retry is printed;
 * a browser that crashes once it runs still fails its test.
 */
async function launchWithRetry(userDataDir, options, attempts = 3) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await chromium.launchPersistentContext(userDataDir, options);
    } catch (error) {
      if (attempt >= attempts) throw error;
      const firstLine = String(error.message).split('\n')[0];
      process.stderr.write(`harness: Chromium failed to start (attempt ${attempt}): ${firstLine}; starting it again\n`);
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

/** Collects the page's console lines, so a failing test can show what the guide said. */
export function recordConsole(page) {
  const lines = [];
  page.on('console', (message) => lines.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => lines.push(`pageerror: ${error.message}`));
  return lines;
}

/** Runs `fn(page, log)` on a fresh tab of `context`; the page's console is added to any failure. */
export async function onPage(context, fn) {
  const page = await context.newPage();
  const log = recordConsole(page);
  try {
    await fn(page, log);
  } catch (error) {
    error.message += `\n--- console ---\n${log.join('\n')}`;
    throw error;
  } finally {
    await page.close().catch(() => {});
  }
}

/** Waits for the guide's root element and returns its attributes. */
export async function guideRoot(page, timeout = 10_000) {
  const root = page.locator('#o365-reauth-guide');
  await root.waitFor({ state: 'attached', timeout });
  return root;
}

/**
 * Starts the fixture server and Chromium with the extension before a test file's tests, and
 * stops both after them; `take` receives `{ server, browser }` once they run.
 */
export function withFixtures(take) {
  const env = {};
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser(env.server);
    take(env);
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
}
