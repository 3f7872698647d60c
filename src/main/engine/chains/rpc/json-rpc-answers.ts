import { classifyRpcError, RpcCallError } from './rpc-call-error.ts';

export interface JsonRpcCall {
  method: string;
  params: unknown[];
}

export type BatchItemResult = { ok: true; result: unknown } | { ok: false; error: RpcCallError };

interface JsonRpcResponse {
  id?: unknown;
  result?: unknown;
  error?: { code?: unknown; message?: unknown; data?: unknown };
}

/**
 * Reads one JSON-RPC response to request `id`: its `result`, or the node's error sorted into an
 * RpcCallError kind. Shared by the HTTP and the WebSocket client, so both fail the same way.
 */
export function readJsonRpcResponse(method: string, id: number, response: unknown): unknown {
  if (!isRecord(response)) throw new RpcCallError('retryable', `${method}: the answer is not a JSON-RPC response`);
  const body = response as JsonRpcResponse;
  if (isRecord(body.error)) throw classifyRpcError(method, body.error);
  if (body.id !== id) throw new RpcCallError('retryable', `${method}: the answer is for request ${String(body.id)}, not ${id}`);
  if (!('result' in body)) throw new RpcCallError('retryable', `${method}: the answer has no result`);
  return body.result;
}

/** Reads the answer to a batch sent with `ids` (in call order): per-item outcomes in call order. */
export function readJsonRpcBatch(calls: JsonRpcCall[], ids: number[], what: string, response: unknown): BatchItemResult[] {
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
      return { ok: true, result: readJsonRpcResponse(call.method, ids[i]!, item) };
    } catch (error) {
      return { ok: false, error: error as RpcCallError };
    }
  });
}

/** "batch of 3 (eth_getBlockByNumber, eth_chainId)": how a batch is named in errors. */
export function describeBatch(calls: JsonRpcCall[]): string {
  return `batch of ${calls.length} (${[...new Set(calls.map((c) => c.method))].join(', ')})`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
