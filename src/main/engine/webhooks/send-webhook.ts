export const WEBHOOK_TIMEOUT_MS = 10_000;
export const RESPONSE_BODY_LIMIT = 4096;

export interface SendResult {
  /** Null when no HTTP answer came (network error, timeout). */
  httpStatus: number | null;
  /** The first 4 KiB of the response body, as text. */
  responseBody: string | null;
  error: string | null;
  durationMs: number;
  /** How long the request waited on its endpoint's lane before it went out (see send-lanes.ts). */
  waitedMs?: number;
}

/** Reads at most `limit` bytes of a body, then lets the rest go. */
async function readHead(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = Buffer.concat(chunks).subarray(0, limit);
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

function describeFailure(error: unknown, timedOutAfterMs: number | null): string {
  if (timedOutAfterMs !== null) return `no answer within ${timedOutAfterMs / 1000} s (timeout)`;
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  // undici refuses some ports outright ("bad port") with no code: the cause says why, "fetch failed" does not.
  if (cause?.message) return `${(error as Error).message}: ${cause.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * One POST. Success is the caller's call (2xx); this only reports what happened. Redirects are
 * not followed: a 3xx is an answer like any other non-2xx, so a moved endpoint shows in the log.
 *
 * `controller` cancels the request when the caller aborts it (then this rejects with the abort's
 * error); the timeout aborts the same controller. One controller per request for both: a second
 * one following the caller's signal cost an AbortController and two listeners per request — on
 * the sender's hot path, where every request of a webhook storm passes.
 */
export async function sendWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { controller?: AbortController; timeoutMs?: number } = {},
): Promise<SendResult> {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const controller = options.controller ?? new AbortController();
  // The timer is cleared when the answer is read: AbortSignal.timeout would fire (and build a
  // DOMException) 10 s after every send.
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const started = performance.now();
  try {
    if (controller.signal.aborted) throw controller.signal.reason;
    const response = await fetch(url, { method: 'POST', body, headers, redirect: 'manual', signal: controller.signal });
    const responseBody = await readHead(response, RESPONSE_BODY_LIMIT);
    return {
      httpStatus: response.status,
      responseBody,
      error: response.ok ? null : `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    if (controller.signal.aborted && !timedOut) throw error;
    return {
      httpStatus: null,
      responseBody: null,
      error: describeFailure(error, timedOut ? timeoutMs : null),
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timer);
  }
}
