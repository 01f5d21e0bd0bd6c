// Content-script loader. Chromium refuses to compile WebAssembly in a content script when the
// page's own CSP forbids it (crbug.com/1385796), so the same Rust crate also ships translated to
// JavaScript by wasm2js. Real wasm is tried first; the JS translation is the fallback.
(async () => {
  const api = globalThis.browser ?? globalThis.chrome;
  const base = api.runtime.getURL('engine/');
  // Fetch and compile the wasm while the glue module loads.
  const compiling = fetch(`${base}reauth_guide_bg.wasm`)
    .then((response) => response.arrayBuffer())
    .then((bytes) => WebAssembly.compile(bytes));
  compiling.catch(() => {}); // awaited below; a failure there picks the JavaScript engine
  try {
    const glue = await import(`${base}reauth_guide_bg.js`);
    let engine = 'wasm';
    let exports;
    try {
      const imports = { './reauth_guide_bg.js': glue };
      exports = (await WebAssembly.instantiate(await compiling, imports)).exports;
    } catch (error) {
      engine = 'js';
      console.debug(`[o365-reauth-guide] WebAssembly unavailable on this page (${error.name}); using the JavaScript engine`);
      exports = await import(`${base}reauth_guide_js.js`);
    }
    glue.__wbg_set_wasm(exports);
    exports.__wbindgen_start?.();
    console.debug(`[o365-reauth-guide] engine: ${engine}`);
    // Firefox does not expose `browser` to modules a content script imports: hand it over.
    glue.run(engine, api);
  } catch (error) {
    console.error('[o365-reauth-guide] The guide could not start / De gids kon niet starten:', error);
  }
})();
