// Stored progress records as the extension writes them (schema 1), for tests that set up their
// own state instead of relying on what an earlier test left behind.

export const MIN = 60_000;
export const T0 = Date.UTC(2026, 2, 12, 14, 5);
export const PATH = ['applications', 'find-app', 'provisioning-tab', 'integration', 'edit', 'reauthenticate',
  'microsoft-sign-in', 'consent', 'test-api', 'checkmarks', 'save', 'done'];

/** A stored record walked along the main path up to `to`. */
export function walked(org, to, { account, paused = false } = {}) {
  const steps = PATH.slice(0, PATH.indexOf(to) + 1);
  const history = steps.map((step, i) => ({ step, at: T0 + i * MIN }));
  const last = history.at(-1).at;
  const done = to === 'done';
  return {
    schema: 1, org, step: to, startedAt: T0, updatedAt: last, finishedAt: done ? last : null, paused,
    consented: done, verified: done, saveClicked: done, expectedAccount: null, accountUsed: account ?? null,
    history, dismissed: done, notice: null,
  };
}

/** Storage items holding `records` under their keys. */
export const asItems = (records) => Object.fromEntries(records.map((r) => [`org:${r.org}`, r]));
