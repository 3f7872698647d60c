import {
  describeBatch,
  isRecord,
  readJsonRpcBatch,
  readJsonRpcResponse,
  type BatchItemResult,
  type JsonRpcCall,
} from './json-rpc-answers.ts';
import { parseRetryAfter, RpcCallError } from './rpc-call-error.ts';
import { redactText } from './redact-url.ts';
import { createWsJsonRpcClient, type JsonRpcSubscription, type SubscriptionHandlers } from './ws-json-rpc-client.ts';

export type { BatchItemResult, JsonRpcCall } from './json-rpc-answers.ts';

export interface JsonRpcClient {
  readonly url: string;
  /** One call; resolves with `result`, throws RpcCallError (or the caller's abort reason). */
  call(method: string, params: unknown[], options: { signal?: AbortSignal; timeoutMs?: number }): Promise<unknown>;
  /** One HTTP request carrying a JSON-RPC batch; per-item outcomes in call order. Throws only for the request as a whole. */
  callBatch(calls: JsonRpcCall[], options: { signal?: AbortSignal; timeoutMs?: number }): Promise<BatchItemResult[]>;
  /** WebSocket clients only: an `eth_subscribe` kept alive across reconnects. */
  subscribe?(params: unknown[], handlers: SubscriptionHandlers): JsonRpcSubscription;
  /** Releases the connection, if the client holds one (WebSocket); later calls fail. */
  close?(): void;
}

/**
 * A minimal JSON-RPC 2.0 client for one endpoint: over fetch for http(s):// URLs, over one
 * WebSocket for ws(s):// URLs (./ws-json-rpc-client.ts). Every answer is checked before it is believed.
 */
export function createJsonRpcClient(options: { url: string; timeoutMs: number; fetch?: typeof fetch }): JsonRpcClient {
  const { url } = options;
  if (/^wss?:\/\//i.test(url)) return createWsJsonRpcClient({ url, timeoutMs: options.timeoutMs });
  const fetchFn = options.fetch ?? fetch;
  let nextId = 1;

  async function post(body: unknown, what: string, signal: AbortSignal | undefined, timeoutMs: number): Promise<unknown> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: combined,
      });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted)
        throw new RpcCallError('retryable', `${what}: no answer within ${formatMs(timeoutMs)}`, { cause: error });
      throw new RpcCallError('retryable', `${what}: ${redactText(describeNetworkError(error), url)}`, { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      // Some providers put a JSON-RPC error (e.g. a range refusal) in a 4xx body: read it as such.
      if (response.status !== 429 && response.status < 500 && isRecord(parsed) && isRecord(parsed.error)) return parsed;
      const reason =
        response.status === 429
          ? `rate limited (HTTP 429${retryAfterMs !== undefined ? `, retry after ${formatMs(retryAfterMs)}` : ''})`
          : response.status === 401 || response.status === 403
            ? `HTTP ${response.status}: the provider refused the request; check the API key`
            : `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      throw new RpcCallError('retryable', `${what}: ${reason}`, { httpStatus: response.status, retryAfterMs });
    }
    if (parsed === undefined) {
      const snippet =
        text.length === 0
          ? 'an empty body'
          : `${JSON.stringify(redactText(text.slice(0, 60), url))}${text.length > 60 ? '…' : ''}`;
      throw new RpcCallError('retryable', `${what}: the answer is not valid JSON (${snippet})`, { httpStatus: response.status });
    }
    return parsed;
  }

  return {
    url,
    async call(method, params, callOptions) {
      const id = nextId++;
      const response = await post(
        { jsonrpc: '2.0', id, method, params },
        method,
        callOptions.signal,
        callOptions.timeoutMs ?? options.timeoutMs,
      );
      return readJsonRpcResponse(method, id, response);
    },
    async callBatch(calls, callOptions) {
      if (calls.length === 0) return [];
      const ids = calls.map(() => nextId++);
      const what = describeBatch(calls);
      const response = await post(
        calls.map((call, i) => ({ jsonrpc: '2.0', id: ids[i], method: call.method, params: call.params })),
        what,
        callOptions.signal,
        callOptions.timeoutMs ?? options.timeoutMs,
      );
      return readJsonRpcBatch(calls, ids, what, response);
    },
  };
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return `network error (${cause.code})`;
  if (cause?.message) return `network error (${cause.message})`;
  return error instanceof Error ? error.message : String(error);
}

export function formatMs(ms: number): string {
  return ms >= 1_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms)} ms`;
}
