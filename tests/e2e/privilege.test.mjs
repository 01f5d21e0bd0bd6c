// Least privilege: the manifest (source and built) asks for exactly the agreed permissions, hosts
// and web-accessible resources. Widening any of them must be a deliberate change to this list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');

// The agreed list. Changing it needs a review of why the extension needs more.
const AGREED = {
  permissions: ['storage'],
  hosts: [
    'https://*.okta.com/*',
    'https://*.oktapreview.com/*',
    'https://*.okta-emea.com/*',
    'https://*.okta-gov.com/*',
    'https://*.okta.mil/*',
    'https://login.microsoftonline.com/*',
  ],
  contentScripts: [{ js: ['engine/reauth_guide_glue.js', 'loader.js'], run_at: 'document_start' }],
  webAccessible: ['engine/*'],
  engineFiles: ['reauth_guide_bg.wasm', 'reauth_guide_glue.js', 'reauth_guide_js.js'],
  extensionPagesCsp: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
  topLevelKeys: [
    'manifest_version', 'name', 'short_name', 'description', 'version', 'homepage_url', 'minimum_chrome_version',
    'default_locale', 'icons',
    'permissions', 'action', 'background', 'commands', 'content_scripts', 'web_accessible_resources',
    'content_security_policy', 'browser_specific_settings',
  ],
  // The background only forwards the shortcut to the active tab's guide (issue 14). Both forms:
  // Chrome runs the service worker, Firefox the script; the release zips keep one each.
  background: { service_worker: 'background.js', scripts: ['background.js'] },
  commands: { 'focus-card': { suggested_key: { default: 'Alt+Shift+G' }, description: '__MSG_cmd_focus_card__' } },
  // Every extension API the background script names.
  backgroundApis: ['commands.onCommand', 'tabs.query', 'tabs.sendMessage'],
};

// Keys that would grant reach beyond the agreed list, whatever their value.
const FORBIDDEN_KEYS = [
  'host_permissions', 'optional_permissions', 'optional_host_permissions', 'externally_connectable',
  'devtools_page', 'chrome_url_overrides', 'sandbox', 'declarative_net_request',
  'oauth2', 'key', 'update_url', 'content_capabilities', 'side_panel', 'options_page', 'options_ui',
  'omnibox', 'file_browser_handlers', 'nacl_modules', 'storage', 'tts_engine',
];

function check(manifest, where) {
  assert.equal(manifest.manifest_version, 3, `${where}: Manifest V3`);
  for (const key of FORBIDDEN_KEYS) {
    assert.equal(key in manifest, false, `${where}: "${key}" is not on the agreed list`);
  }
  assert.deepEqual(Object.keys(manifest).sort(), [...AGREED.topLevelKeys].sort(),
    `${where}: top-level keys beyond the agreed list`);
  assert.deepEqual(manifest.permissions, AGREED.permissions, `${where}: permissions`);
  // Each browser's copy keeps one of the two forms; neither adds a page, a module or persistence.
  const background = Object.fromEntries(Object.keys(manifest.background).map((k) => [k, AGREED.background[k]]));
  assert.ok(Object.keys(background).length > 0, `${where}: a background`);
  assert.deepEqual(manifest.background, background, `${where}: background (no page, no module, nothing persistent)`);
  assert.deepEqual(manifest.commands, AGREED.commands, `${where}: commands (one shortcut, no _execute_* beyond it)`);

  assert.equal(manifest.content_scripts.length, AGREED.contentScripts.length, `${where}: content script entries`);
  for (const [i, script] of manifest.content_scripts.entries()) {
    const { matches, ...rest } = script;
    assert.deepEqual(matches, AGREED.hosts, `${where}: content_scripts[${i}].matches`);
    assert.deepEqual(rest, AGREED.contentScripts[i], `${where}: content_scripts[${i}] (no css, frames, worlds or excludes)`);
  }

  assert.equal(manifest.web_accessible_resources.length, 1, `${where}: one web_accessible_resources entry`);
  const [war] = manifest.web_accessible_resources;
  assert.deepEqual(Object.keys(war).sort(), ['matches', 'resources'], `${where}: web_accessible_resources keys (no extension_ids, use_dynamic_url)`);
  assert.deepEqual(war.resources, AGREED.webAccessible, `${where}: web-accessible resources`);
  assert.deepEqual(war.matches, AGREED.hosts, `${where}: web-accessible resources are exposed only to the guide's hosts`);

  assert.deepEqual(Object.keys(manifest.content_security_policy), ['extension_pages'], `${where}: CSP keys`);
  assert.equal(manifest.content_security_policy.extension_pages, AGREED.extensionPagesCsp, `${where}: extension pages CSP`);

  // The popup is the only extension page; the action asks for nothing else.
  assert.deepEqual(Object.keys(manifest.action).sort(), ['default_icon', 'default_popup', 'default_title']);
  assert.equal(manifest.action.default_popup, 'popup.html');
  const gecko = manifest.browser_specific_settings?.gecko;
  assert.deepEqual(gecko?.data_collection_permissions, { required: ['none'] }, `${where}: Firefox data collection`);
  assert.deepEqual(Object.keys(manifest.browser_specific_settings), ['gecko', 'gecko_android'], `${where}: browser_specific_settings`);
  // Firefox for Android is not a supported platform (docs/install.md); the key only states the
  // version that understands data_collection_permissions, should it be installed there.
  assert.deepEqual(manifest.browser_specific_settings.gecko_android, { strict_min_version: '142.0' }, `${where}: gecko_android`);
}

test('manifest.json asks for exactly the agreed permissions, hosts and resources', () => {
  check(JSON.parse(readFileSync(join(repo, 'manifest.json'), 'utf8')), 'manifest.json');
});

test('the built extension ships the same manifest, and its engine folder holds only the engine', () => {
  const dist = join(repo, 'dist', 'extension');
  // The unpacked build alone carries a public key (a fixed id for unpacked loads); it grants
  // nothing, and the store package must not have it.
  const { key, ...built } = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8'));
  assert.equal(key, readFileSync(join(repo, 'tools', 'unpacked-key.b64'), 'utf8').trim(), 'the unpacked build has the fixed key');
  check(built, 'dist/extension/manifest.json');
  assert.deepEqual(built, JSON.parse(readFileSync(join(repo, 'manifest.json'), 'utf8')), 'dist manifest differs from the source');
  const version = built.version;
  const zipped = JSON.parse(execFileSync('python3', ['-c', 'import sys,zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("manifest.json").decode())',
    join(repo, 'dist', `o365-reauth-guide-${version}.zip`)], { encoding: 'utf8' }));
  check(zipped, 'the store zip\'s manifest.json');
  // The zip is Firefox's form (dist/firefox): background scripts without the service worker.
  const firefox = { ...built, background: { scripts: built.background.scripts } };
  assert.deepEqual(zipped, firefox, 'the store zip has the source manifest, without the key, in Firefox\'s form');
  const { key: firefoxKey, ...unpackedFirefox } = JSON.parse(readFileSync(join(repo, 'dist', 'firefox', 'manifest.json'), 'utf8'));
  assert.equal(firefoxKey, key);
  assert.deepEqual(unpackedFirefox, firefox, 'dist/firefox is dist/extension in Firefox\'s form');
  // `engine/*` is what pages may load: it must hold the engine files and nothing else.
  const engine = readdirSync(join(dist, 'engine')).sort();
  assert.deepEqual(engine, AGREED.engineFiles, 'files exposed to web pages through engine/*');
});

test('the background script uses only the shortcut, the active tab\'s id and a message to it', () => {
  const text = readFileSync(join(repo, 'extension', 'background.js'), 'utf8');
  const used = [...new Set([...text.matchAll(/\bapi\.([a-zA-Z]+\.[a-zA-Z]+)/g)].map((m) => m[1]))].sort();
  assert.deepEqual(used, [...AGREED.backgroundApis].sort());
  assert.equal(/fetch\(|XMLHttpRequest|WebSocket|storage\./.test(text), false, 'no network, no storage');
});

test('no packaged script asks for permissions or injects code at runtime', () => {
  // A guard against widening through code rather than the manifest: no script in the package
  // asks for permissions or injects scripts at runtime.
  const dist = join(repo, 'dist', 'extension');
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(js|html)$/.test(name)) files.push(path);
    }
  };
  walk(dist);
  assert.ok(files.length >= 4, `found ${files.length} scripts`);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const api of ['permissions.request', 'scripting.', 'tabs.executeScript', 'webRequest', 'declarativeNetRequest', 'cookies.', 'history.search', 'management.', 'debugger.']) {
      assert.equal(text.includes(api), false, `${relative(dist, file)} uses ${api}`);
    }
  }
});

// The newest web platform features the extension relies on, by the Chrome version that shipped
// them, and where they are used. minimum_chrome_version must be the newest of those found, so
// that the stores do not offer the extension to browsers where it would misbehave.
const CHROME_FEATURES = [
  { version: 105, what: 'CSS :has() (the popup marks the selected org)', file: 'extension/popup.css', pattern: /:has\(/ },
  { version: 105, what: 'Element.checkVisibility() with checkOpacity/checkVisibilityCSS (hidden screens are not targets)', file: 'src/browser/page.rs', pattern: /checkVisibilityCSS/ },
  { version: 103, what: "'wasm-unsafe-eval' in an MV3 extension page CSP (the popup's wasm)", file: 'manifest.json', pattern: /wasm-unsafe-eval/ },
  { version: 93, what: 'accent-color', file: 'extension/popup.css', pattern: /accent-color/ },
  { version: 89, what: 'top-level await in a module (popup.js)', file: 'extension/popup.js', pattern: /^const bytes = await|^\s*const bytes = await/m },
  { version: 88, what: 'Manifest V3', file: 'manifest.json', pattern: /"manifest_version": 3/ },
];

test('minimum_chrome_version is that of the newest platform feature the extension uses', () => {
  const manifest = JSON.parse(readFileSync(join(repo, 'manifest.json'), 'utf8'));
  const used = CHROME_FEATURES.filter((f) => f.pattern.test(readFileSync(join(repo, f.file), 'utf8')));
  assert.ok(used.length >= 3, `the feature list no longer matches the code: ${used.map((f) => f.what)}`);
  const newest = Math.max(...used.map((f) => f.version));
  assert.equal(manifest.minimum_chrome_version, String(newest),
    `minimum_chrome_version: the newest feature used is Chrome ${newest} (${used.filter((f) => f.version === newest).map((f) => f.what).join('; ')})`);
  // Firefox: checkVisibility is 106, data_collection_permissions 140 (desktop).
  assert.equal(manifest.browser_specific_settings.gecko.strict_min_version, '140.0');
});
