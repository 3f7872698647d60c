import { STATUS_CODES } from 'node:http';
import { Agent, request, type Dispatcher } from 'undici';

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

// undici's request API (the library behind Node's fetch) rather than fetch itself: a fetch builds
// a WHATWG Request, Headers, a web stream for each body and an abort signal chain per request —
// 150–180 µs of CPU per webhook on the benchmark's machine, against 30–45 µs here for the same
// bytes on the wire (docs/BENCHMARKS.md). One agent per thread: a keep-alive pool per shop.
const agent = new Agent({ keepAliveTimeout: 30_000 });

/** Reads at most `limit` bytes of a body, then lets the rest go. */
async function readHead(response: Dispatcher.ResponseData, limit: number): Promise<string> {
  // Most shops answer with nothing or a few bytes: no stream iteration for an empty body.
  if (response.statusCode === 204 || response.headers['content-length'] === '0') {
    await response.body.dump();
    return '';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early destroys the body (and that connection): what is past the limit is never read.
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) break;
  }
  const bytes = Buffer.concat(chunks).subarray(0, limit);
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

function describeFailure(error: unknown, timedOutAfterMs: number | null): string {
  if (timedOutAfterMs !== null) return `no answer within ${timedOutAfterMs / 1000} s (timeout)`;
  const { code, message, cause } = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const reason = cause?.code ? cause : { code, message };
  if (reason.code) return `${reason.code}${reason.message ? `: ${reason.message}` : ''}`;
  if (cause?.message) return `${message}: ${cause.message}`;
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
    const response = await request(url, { method: 'POST', body, headers, signal: controller.signal, dispatcher: agent });
    const responseBody = await readHead(response, RESPONSE_BODY_LIMIT);
    const status = response.statusCode;
    const reason = STATUS_CODES[status];
    return {
      httpStatus: status,
      responseBody,
      error: status >= 200 && status < 300 ? null : `HTTP ${status}${reason ? ` ${reason}` : ''}`,
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
