/** Injected so schedules (expiry, retries, backoff) can be tested with a fake clock. */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

let lastMs = Number.NaN;
let lastIso = '';
/** ISO-8601 UTC. Remembers the last answer: busy loops ask for the same millisecond many times over. */
export const isoTime = (ms: number): string => {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
};
