// The toolbar popup: instantiates the Rust engine (real WebAssembly: the extension pages' CSP
// allows 'wasm-unsafe-eval') and hands over to its `run_popup`.
import * as glue from './popup/popup_bg.js';

const api = globalThis.browser ?? globalThis.chrome;

try {
  const bytes = await (await fetch('popup/popup_bg.wasm')).arrayBuffer();
  const { instance } = await WebAssembly.instantiate(bytes, { './popup_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  glue.run_popup();
} catch (error) {
  console.error('[o365-reauth-guide] The popup could not start / De pop-up kon niet starten:', error);
  const message = document.getElementById('message');
  const text = api?.i18n?.getMessage('popup_start_failed', [String(error?.message ?? error)]);
  message.textContent = text || `The popup could not start: ${error}`;
  message.dataset.kind = 'error';
  document.getElementById('popup').removeAttribute('aria-busy');
}
