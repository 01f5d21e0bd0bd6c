// The comparison extension, built at bench time under target/bench/ (never part of dist/): the
// files of driver.js 1.8 copied from node_modules, and a content script that drives one step on
// the same element with driver.js's own `waitForElement` (a MutationObserver on the whole
// document, then its highlight), at document_end: driver.js needs the parsed DOM (ours starts at
// document_start and waits for the body itself).
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CONTENT = `// Bench only: driver.js highlighting Test API Credentials (Okta) or the account field
// (Microsoft's sign-in) once it exists.
(() => {
  const microsoft = location.hostname === 'login.microsoftonline.com';
  const SELECTOR = microsoft ? 'input[type=email]#i0116[name=loginfmt]' : 'input[type=button]#m-verify-button[name=m-verify]';
  const tour = globalThis.driver.js.driver({
    animate: false,
    allowClose: false,
    steps: [{
      element: SELECTOR,
      waitForElement: 600000,
      popover: microsoft
        ? { title: 'Sign in', description: 'Sign in with the Global Administrator account configured in the app.' }
        : { title: 'Test API Credentials', description: 'Click Test API Credentials to check the new consent.' },
    }],
  });
  document.documentElement.dataset.benchDriver = document.querySelector(SELECTOR) ? 'found' : 'waiting';
  tour.drive();
})();
`;

export function buildDriverExtension(repo, outDir) {
  const pkg = JSON.parse(readFileSync(join(repo, 'node_modules', 'driver.js', 'package.json'), 'utf8'));
  if (!/^1\.8\./.test(pkg.version)) throw new Error(`driver.js ${pkg.version} installed; the bench compares with 1.8`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const dist = join(repo, 'node_modules', 'driver.js', 'dist');
  copyFileSync(join(dist, 'driver.js.iife.js'), join(outDir, 'driver.js.iife.js'));
  copyFileSync(join(dist, 'driver.css'), join(outDir, 'driver.css'));
  writeFileSync(join(outDir, 'bench-content.js'), CONTENT);
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify({
    manifest_version: 3,
    name: 'driver.js bench comparison',
    version: pkg.version,
    content_scripts: [{
      matches: ['https://*.okta.com/*', 'https://login.microsoftonline.com/*'],
      js: ['driver.js.iife.js', 'bench-content.js'],
      css: ['driver.css'],
      run_at: 'document_end',
    }],
  }, null, 2));
  return { dir: outDir, version: pkg.version, files: ['driver.js.iife.js', 'bench-content.js', 'driver.css'] };
}
