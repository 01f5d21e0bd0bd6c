// Least privilege: the manifest (source and built) asks for exactly the agreed permissions, hosts
// and web-accessible resources. Widening any of them must be a deliberate change to this list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
    'manifest_version', 'name', 'short_name', 'description', 'version', 'default_locale', 'icons',
    'permissions', 'action', 'content_scripts', 'web_accessible_resources',
    'content_security_policy', 'browser_specific_settings',
  ],
};

// Keys that would grant reach beyond the agreed list, whatever their value.
const FORBIDDEN_KEYS = [
  'host_permissions', 'optional_permissions', 'optional_host_permissions', 'externally_connectable',
  'background', 'devtools_page', 'chrome_url_overrides', 'sandbox', 'declarative_net_request',
  'oauth2', 'key', 'update_url', 'content_capabilities', 'side_panel', 'options_page', 'options_ui',
  'commands', 'omnibox', 'file_browser_handlers', 'nacl_modules', 'storage', 'tts_engine',
];

function check(manifest, where) {
  assert.equal(manifest.manifest_version, 3, `${where}: Manifest V3`);
  for (const key of FORBIDDEN_KEYS) {
    assert.equal(key in manifest, false, `${where}: "${key}" is not on the agreed list`);
  }
  assert.deepEqual(Object.keys(manifest).sort(), [...AGREED.topLevelKeys].sort(),
    `${where}: top-level keys beyond the agreed list`);
  assert.deepEqual(manifest.permissions, AGREED.permissions, `${where}: permissions`);

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
  assert.deepEqual(Object.keys(manifest.browser_specific_settings), ['gecko'], `${where}: browser_specific_settings`);
}

test('manifest.json asks for exactly the agreed permissions, hosts and resources', () => {
  check(JSON.parse(readFileSync(join(repo, 'manifest.json'), 'utf8')), 'manifest.json');
});

test('the built extension ships the same manifest, and its engine folder holds only the engine', () => {
  const dist = join(repo, 'dist', 'extension');
  const built = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8'));
  check(built, 'dist/extension/manifest.json');
  assert.deepEqual(built, JSON.parse(readFileSync(join(repo, 'manifest.json'), 'utf8')), 'dist manifest differs from the source');
  // `engine/*` is what pages may load: it must hold the engine files and nothing else.
  const engine = readdirSync(join(dist, 'engine')).sort();
  assert.deepEqual(engine, AGREED.engineFiles, 'files exposed to web pages through engine/*');
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
