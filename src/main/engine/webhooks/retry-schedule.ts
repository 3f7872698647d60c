/**
 * When a failed delivery is tried again: about 10 s, 1 min, 5 min, 30 min, then every hour, for
 * up to three days after the delivery was created; then it is dead. Each delay is jittered by
 * ±20 % so that a receiver coming back up is not hit by every queued delivery in the same second.
 */
export const RETRY_DELAYS_MS = [10_000, 60_000, 5 * 60_000, 30 * 60_000] as const;
export const RETRY_HOURLY_MS = 3_600_000;
export const DELIVERY_WINDOW_MS = 3 * 24 * 3_600_000;
export const RETRY_JITTER = 0.2;

/** The nominal wait after the `failedAttempts`-th failed attempt (1-based). */
export function nominalRetryDelayMs(failedAttempts: number): number {
  return RETRY_DELAYS_MS[failedAttempts - 1] ?? RETRY_HOURLY_MS;
}

/**
 * The next attempt's time after a failure, or null when it would fall past the delivery window
 * (the delivery is then dead). `random` is in [0, 1).
 */
export function nextAttemptAfterFailure(
  createdAtMs: number,
  failedAttempts: number,
  nowMs: number,
  random: () => number = Math.random,
): number | null {
  const jitter = 1 - RETRY_JITTER + 2 * RETRY_JITTER * random();
  const at = nowMs + Math.round(nominalRetryDelayMs(failedAttempts) * jitter);
  return at - createdAtMs > DELIVERY_WINDOW_MS ? null : at;
}
