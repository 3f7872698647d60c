import { classifyRpcError, parseRetryAfter, RpcCallError } from './rpc-call-error.ts';
import { redactText } from './redact-url.ts';

export interface JsonRpcCall {
  method: string;
  params: unknown[];
}

export type BatchItemResult = { ok: true; result: unknown } | { ok: false; error: RpcCallError };

export interface JsonRpcClient {
  readonly url: string;
  /** One call; resolves with `result`, throws RpcCallError (or the caller's abort reason). */
  call(method: string, params: unknown[], options: { signal?: AbortSignal; timeoutMs?: number }): Promise<unknown>;
  /** One HTTP request carrying a JSON-RPC batch; per-item outcomes in call order. Throws only for the request as a whole. */
  callBatch(calls: JsonRpcCall[], options: { signal?: AbortSignal; timeoutMs?: number }): Promise<BatchItemResult[]>;
}

interface JsonRpcResponse {
  id?: unknown;
  result?: unknown;
  error?: { code?: unknown; message?: unknown; data?: unknown };
}

/** A minimal JSON-RPC 2.0 client over fetch for one endpoint. Every answer is checked before it is believed. */
export function createJsonRpcClient(options: { url: string; timeoutMs: number; fetch?: typeof fetch }): JsonRpcClient {
  const { url } = options;
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

  function readResponse(method: string, id: number, response: unknown): unknown {
    if (!isRecord(response)) throw new RpcCallError('retryable', `${method}: the answer is not a JSON-RPC response`);
    const body = response as JsonRpcResponse;
    if (isRecord(body.error)) throw classifyRpcError(method, body.error);
    if (body.id !== id) throw new RpcCallError('retryable', `${method}: the answer is for request ${String(body.id)}, not ${id}`);
    if (!('result' in body)) throw new RpcCallError('retryable', `${method}: the answer has no result`);
    return body.result;
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
      return readResponse(method, id, response);
    },
    async callBatch(calls, callOptions) {
      if (calls.length === 0) return [];
      const ids = calls.map(() => nextId++);
      const what = `batch of ${calls.length} (${[...new Set(calls.map((c) => c.method))].join(', ')})`;
      const response = await post(
        calls.map((call, i) => ({ jsonrpc: '2.0', id: ids[i], method: call.method, params: call.params })),
        what,
        callOptions.signal,
        callOptions.timeoutMs ?? options.timeoutMs,
      );
      if (!Array.isArray(response)) {
        // A provider without batch support answers with one error: every item gets it and is retried on its own.
        const error =
          isRecord(response) && isRecord(response.error)
            ? classifyRpcError('batch', response.error)
            : new RpcCallError('retryable', `${what}: the answer is not a JSON-RPC batch`);
        const itemError = error.kind === 'fatal' ? new RpcCallError('unsupported', error.message) : error;
        return calls.map(() => ({ ok: false as const, error: itemError }));
      }
      const byId = new Map<unknown, unknown>();
      for (const item of response) if (isRecord(item)) byId.set(item.id, item);
      return calls.map((call, i): BatchItemResult => {
        const item = byId.get(ids[i]);
        if (item === undefined)
          return { ok: false, error: new RpcCallError('retryable', `${call.method}: missing from the batch answer`) };
        try {
          return { ok: true, result: readResponse(call.method, ids[i]!, item) };
        } catch (error) {
          return { ok: false, error: error as RpcCallError };
        }
      });
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
