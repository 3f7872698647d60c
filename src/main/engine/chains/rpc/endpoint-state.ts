import type { RpcEndpointHealth } from '../../../../shared/domain.ts';
import { isoTime, type Clock } from '../../lib/clock.ts';
import type { LogRangeRefusal } from './log-range-errors.ts';
import { redactUrl } from './redact-url.ts';

export type CircuitState = RpcEndpointHealth['circuit'];

/** The shape the chain health screen shows (declared in src/shared, filled here). */
export type EndpointHealth = RpcEndpointHealth;

export const BREAKER_THRESHOLD = 5;
export const BREAKER_BASE_COOLDOWN_MS = 15_000;
export const BREAKER_MAX_COOLDOWN_MS = 5 * 60_000;
export const LOG_RANGE_START = 1_000;
export const LOG_RANGE_MAX = 50_000;
/** A span learnt from a "too many results" refusal depends on how busy those blocks were: retry wider later. */
const RESULTS_CEILING_TTL_MS = 10 * 60_000;
const ERROR_WINDOW_MS = 5 * 60_000;
const ERROR_WINDOW_SIZE = 50;
const LATENCY_ALPHA = 0.3;
/** Latency assumed for ranking before an endpoint has answered once. */
const LATENCY_PRIOR_MS = 300;

export type Endpoint = ReturnType<typeof createEndpointState>;

/**
 * Everything the pool knows about one endpoint: latency, recent outcomes, circuit breaker,
 * Retry-After cooldown, head and accepted log span. Pure bookkeeping on an injected clock.
 *
 * Breaker: closed → (5 consecutive failures) → open for 15 s, doubling per re-open up to 5 min →
 * half-open (exactly one probe in flight) → closed on success, open again on failure.
 */
export function createEndpointState(url: string, clock: Clock) {
  const display = redactUrl(url);
  let latencyMs: number | null = null;
  const outcomes: { at: number; ok: boolean }[] = [];
  let requests = 0;
  let failures = 0;
  let lastError: string | null = null;
  let lastErrorAt: number | null = null;
  let consecutiveFailures = 0;
  let breaker: 'closed' | 'open' = 'closed';
  let openUntil = 0;
  let opens = 0;
  let probeInFlight = false;
  let cooldownUntil = 0;
  let head: number | null = null;
  let headAt: number | null = null;
  let logRange = LOG_RANGE_START;
  let logRangeCeiling = LOG_RANGE_MAX;
  let logRangeCeilingUntil: number | null = null;
  let mismatch: string | null = null;

  function circuit(): CircuitState {
    if (breaker === 'closed') return 'closed';
    return clock.now() >= openUntil ? 'half-open' : 'open';
  }

  function record(ok: boolean) {
    requests++;
    outcomes.push({ at: clock.now(), ok });
    if (outcomes.length > ERROR_WINDOW_SIZE) outcomes.shift();
  }

  function errorRate(): number {
    const since = clock.now() - ERROR_WINDOW_MS;
    const recent = outcomes.filter((o) => o.at >= since);
    return recent.length === 0 ? 0 : recent.filter((o) => !o.ok).length / recent.length;
  }

  /** The endpoint answered (even with an error about the request): it is alive. */
  function alive() {
    consecutiveFailures = 0;
    if (breaker === 'open') {
      breaker = 'closed';
      opens = 0;
    }
    probeInFlight = false;
  }

  return {
    url,
    display,
    circuit,
    errorRate,
    get head() {
      return head;
    },
    get mismatch() {
      return mismatch;
    },
    get maxLogRange() {
      return logRange;
    },
    coolingDown(): boolean {
      return clock.now() < cooldownUntil;
    },
    /** When this endpoint may be tried again if it is not available now (ms on the clock), else null. */
    availableAt(): number | null {
      if (mismatch) return null;
      const state = circuit();
      const after = Math.max(cooldownUntil, state === 'open' ? openUntil : 0);
      return after > clock.now() ? after : null;
    },
    /** May take a request now: not mismatched, not open, not cooling down, and no probe already out if half-open. */
    available(): boolean {
      if (mismatch || clock.now() < cooldownUntil) return false;
      const state = circuit();
      return state === 'closed' || (state === 'half-open' && !probeInFlight);
    },
    /** Call before an attempt; in half-open this attempt is the one probe. */
    begin(): void {
      if (circuit() === 'half-open') probeInFlight = true;
    },
    /** The attempt was abandoned by the caller (abort): no verdict on the endpoint. */
    release(): void {
      probeInFlight = false;
    },
    succeed(ms: number): void {
      record(true);
      latencyMs = latencyMs === null ? ms : latencyMs + LATENCY_ALPHA * (ms - latencyMs);
      alive();
    },
    /** An answer that is an error about the request (method missing, reverted, range refused). */
    answered(): void {
      record(true);
      alive();
    },
    /** Returns true when this failure opened the circuit. */
    fail(message: string, options: { retryAfterMs?: number } = {}): boolean {
      record(false);
      failures++;
      lastError = message;
      lastErrorAt = clock.now();
      probeInFlight = false;
      if (options.retryAfterMs !== undefined) cooldownUntil = Math.max(cooldownUntil, clock.now() + options.retryAfterMs);
      consecutiveFailures++;
      // While open, only the half-open probe's failure re-opens; stragglers sent before it opened do not.
      if (breaker === 'open' && circuit() === 'open') return false;
      if (breaker === 'open' || consecutiveFailures >= BREAKER_THRESHOLD) {
        breaker = 'open';
        openUntil = clock.now() + Math.min(BREAKER_BASE_COOLDOWN_MS * 2 ** opens, BREAKER_MAX_COOLDOWN_MS);
        opens++;
        return true;
      }
      return false;
    },
    markMismatch(message: string): void {
      mismatch = message;
      lastError = message;
      lastErrorAt = clock.now();
    },
    /**
     * The endpoint answered, but with chain data the others contradict (another fork's hashes).
     * Shown as its last error so the merchant can see which URL to replace; the transport is fine,
     * so the breaker and the error rate are left alone (the scanner stops asking it meanwhile).
     */
    flag(message: string): void {
      lastError = message;
      lastErrorAt = clock.now();
    },
    /** The head this endpoint reported now. */
    setHead(block: number): void {
      head = block;
      headAt = clock.now();
    },
    /** The endpoint served `block`, so its head is at least that. */
    noteBlock(block: number): void {
      if (head === null || block > head) {
        head = block;
        headAt = clock.now();
      }
    },
    score(): number {
      return (latencyMs ?? LATENCY_PRIOR_MS) * (1 + 4 * errorRate());
    },
    /** A full span of `span` blocks was served: try twice as wide next time, up to what is known to work. */
    logRangeServed(span: number): void {
      if (span < logRange) return;
      if (logRangeCeilingUntil !== null && clock.now() >= logRangeCeilingUntil) {
        logRangeCeiling = LOG_RANGE_MAX;
        logRangeCeilingUntil = null;
      }
      logRange = Math.min(logRange * 2, logRangeCeiling);
    },
    /** `span` blocks were refused: use the provider's number when it names a smaller one, else halve. */
    logRangeRefused(span: number, refusal: LogRangeRefusal): void {
      const next = refusal.limit !== null && refusal.limit < span ? refusal.limit : Math.floor(span / 2);
      logRange = Math.max(1, next);
      logRangeCeiling = logRange;
      logRangeCeilingUntil = refusal.cause === 'results' ? clock.now() + RESULTS_CEILING_TTL_MS : null;
    },
    health(bestHead: number | null, lagThreshold: number): EndpointHealth {
      const state = circuit();
      const until = Math.max(cooldownUntil, state === 'open' ? openUntil : 0);
      return {
        url: display,
        latencyMs: latencyMs === null ? null : Math.round(latencyMs * 10) / 10,
        errorRate: errorRate(),
        requests,
        failures,
        lastError,
        lastErrorAt: lastErrorAt === null ? null : isoTime(lastErrorAt),
        circuit: state,
        head,
        headAt: headAt === null ? null : isoTime(headAt),
        lagging: isLagging(head, bestHead, lagThreshold),
        cooldownUntil: until > clock.now() ? isoTime(until) : null,
        maxLogRange: logRange,
      };
    },
  };
}

export function isLagging(head: number | null, bestHead: number | null, lagThreshold: number): boolean {
  return head !== null && bestHead !== null && head < bestHead - lagThreshold;
}
