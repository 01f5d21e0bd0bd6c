// Content-script loader, run at document_start right after the engine's glue
// (engine/reauth_guide_glue.js, listed before it in the manifest), so the engine is fetched and
// compiled while the page still loads. Chromium refuses to compile WebAssembly in a content
// script when the page's own CSP forbids it (crbug.com/1385796), so the same Rust crate also
// ships translated to JavaScript by wasm2js. Real wasm is tried first; the JS translation is the
// fallback.
(async () => {
  const api = globalThis.browser ?? globalThis.chrome;
  const base = api.runtime.getURL('engine/');
  // Whether the page lets this script compile WebAssembly, asked of the smallest module there is
  // (the 8-byte header): the CSP check comes before compilation, so a page that refuses it throws
  // here at once, and only the engine that will run is fetched.
  let engine = 'wasm';
  try {
    new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  } catch (error) {
    engine = 'js';
    console.debug(`[o365-reauth-guide] WebAssembly refused on this page (${error.name}); using the JavaScript engine`);
  }
  // First the engine, the longest wait: its response must come in before the page's scripts
  // take over the main thread.
  const wasm = engine === 'wasm' ? fetch(`${base}reauth_guide_bg.wasm`) : null;
  wasm?.catch(() => {}); // awaited below
  // Storage answers while the engine loads; the engine picks the org's record out of it and
  // replays the changes made since, which this listener keeps until the engine listens itself.
  const changes = [];
  const keep = (change, area) => changes.push([change, area]);
  api.storage.onChanged.addListener(keep);
  const stored = api.storage.local.get(null);
  stored.catch(() => {}); // the engine awaits it and reports a failure
  const glue = globalThis.reauthGuideGlue;
  const imports = { './reauth_guide_bg.js': glue };
  try {
    let exports;
    if (engine === 'wasm') {
      try {
        exports = (await WebAssembly.instantiateStreaming(wasm, imports)).instance.exports;
      } catch (error) {
        // Allowed by the probe but refused all the same (or the fetch failed): the translation.
        engine = 'js';
        console.debug(`[o365-reauth-guide] WebAssembly unavailable on this page (${error.name}); using the JavaScript engine`);
      }
    }
    if (engine === 'js') {
      // A literal specifier: it resolves against this script's own URL (the extension's, not
      // the page's), and web-ext lint accepts no computed import().
      exports = (await import('./engine/reauth_guide_js.js')).instantiate(glue);
    }
    glue.__wbg_set_wasm(exports);
    exports.__wbindgen_start?.();
    console.debug(`[o365-reauth-guide] engine: ${engine}`);
    glue.run(engine, api, stored, changes, keep);
  } catch (error) {
    api.storage.onChanged.removeListener(keep);
    console.error('[o365-reauth-guide] The guide could not start / De gids kon niet starten:', error);
  }
})();
