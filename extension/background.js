// The extension's shortcut (Alt+Shift+G by default; changeable in the browser's shortcut
// settings) moves the focus to the guide's card in the active tab. This is all the background
// does: no network, no storage, no permission (tabs.query gives the tab's id without "tabs").
const api = globalThis.browser ?? globalThis.chrome;

/** Asks the guide in the active tab to take the focus (the content script's runtime.onMessage). */
async function focusCardInActiveTab(command) {
  if (command !== 'focus-card') return false;
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined) return false;
  try {
    await api.tabs.sendMessage(tab.id, { focusCard: true });
    return true;
  } catch {
    // No guide in that tab (not an Okta or Microsoft sign-in page): nothing to focus.
    console.info('[o365-reauth-guide] no guide in the active tab to focus');
    return false;
  }
}

api.commands.onCommand.addListener(focusCardInActiveTab);
