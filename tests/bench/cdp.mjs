// Chrome DevTools Protocol measurements: main-thread metrics, the content script's memory, and a
// CPU profile summarised by function.

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Performance.getMetrics as an object (ScriptDuration, TaskDuration… in seconds). */
export async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

/** The page's execution contexts, as Runtime.enable reports them. */
export async function contexts(cdp) {
  const found = [];
  const listener = (event) => found.push(event.context);
  cdp.on('Runtime.executionContextCreated', listener);
  await cdp.send('Runtime.enable');
  await sleep(200);
  cdp.off('Runtime.executionContextCreated', listener);
  return found;
}

/**
 * After a garbage collection: the renderer isolate's JS heap (every world of the page, so the
 * content script's share is a difference against the same page without the extension), and the
 * byte length of every WebAssembly.Memory reachable in the content script's isolated world
 * (Runtime.queryObjects on that world's WebAssembly.Memory.prototype).
 */
export async function memory(page, extId) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const all = await contexts(cdp);
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    await sleep(100);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    await cdp.send('Performance.enable');
    const m = await metrics(cdp);
    let wasm = null;
    let firstUsedByte = null;
    const isolated = extId && all.find((c) => c.origin === `chrome-extension://${extId}` && c.auxData?.type === 'isolated');
    if (isolated) {
      const { result: proto } = await cdp.send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype', contextId: isolated.id });
      const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: proto.objectId });
      const { result } = await cdp.send('Runtime.callFunctionOn', {
        objectId: objects.objectId,
        // The stack comes first in the memory (rustc's layout for wasm) and grows down from its
        // reserved size, over bytes that start as zeros: the first non-zero byte is as deep as
        // the stack ever reached.
        functionDeclaration: `function () {
          return this.map((m) => { const bytes = new Uint8Array(m.buffer); return [bytes.length, bytes.findIndex((b) => b !== 0)]; });
        }`,
        returnByValue: true,
      });
      wasm = result.value.map(([bytes]) => bytes);
      firstUsedByte = result.value.map(([, first]) => first);
    }
    return {
      heapUsed: heap.usedSize, heapTotal: heap.totalSize, jsHeapUsedSize: m.JSHeapUsedSize,
      wasmMemories: wasm, wasmBytes: wasm ? wasm.reduce((s, b) => s + b, 0) : null, wasmFirstUsedByte: firstUsedByte,
      contentScriptContext: isolated ? { name: isolated.name, origin: isolated.origin } : null,
    };
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/**
 * Self time per function from a V8 CPU profile, for the content script's code (chrome-extension:
 * URLs) and overall, in ms.
 */
export function summariseProfile(profile, extId) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  const fns = new Map();
  let extTotal = 0;
  let total = 0;
  for (const [id, ms] of self) {
    const { callFrame } = byId.get(id);
    const ours = callFrame.url.startsWith(`chrome-extension://${extId}`) || callFrame.url.startsWith('wasm://');
    const file = callFrame.url.split('/').pop();
    const key = `${callFrame.functionName || '(anonymous)'}${file ? ` [${file}]` : ''}`;
    total += ms;
    if (ours) extTotal += ms;
    const entry = fns.get(key) ?? { name: key, ms: 0, ours };
    entry.ms += ms;
    fns.set(key, entry);
  }
  const sorted = [...fns.values()].sort((a, b) => b.ms - a.ms);
  // Total (inclusive) time of the engine's own functions: which part of a look costs what.
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map();
  for (const [id, ms] of self) {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const { callFrame } = byId.get(at);
      if (!callFrame.url.endsWith('.wasm') || seen.has(callFrame.functionName)) continue;
      seen.add(callFrame.functionName);
      inclusive.set(callFrame.functionName, (inclusive.get(callFrame.functionName) ?? 0) + ms);
    }
  }
  const topInclusive = [...inclusive].map(([name, ms]) => ({ name: name.replace(/::h[0-9a-f]{16}$/, ''), ms })).sort((a, b) => b.ms - a.ms);
  return {
    topInclusive: topInclusive.slice(0, 25),
    totalMs: total,
    contentScriptMs: extTotal,
    topContentScript: sorted.filter((f) => f.ours).slice(0, 15),
    topOverall: sorted.slice(0, 10),
    all: sorted,
  };
}
