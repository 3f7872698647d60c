import { parseLogRangeError, type LogRangeRefusal } from './log-range-errors.ts';

/**
 * What the pool may do after a failed attempt:
 * - `retryable`: the endpoint is unwell (network, timeout, 5xx, 429, bad body, "try again" errors);
 *   try another one, and count it toward that endpoint's circuit breaker.
 * - `unsupported`: this endpoint cannot serve this call (method not found, a range it refuses even
 *   for one block); try another one, but the endpoint itself is healthy.
 * - `range`: `eth_getLogs` span refused; the caller shrinks the span (see `refusal`).
 * - `mismatch`: the endpoint serves another chain; it is never used again.
 * - `fatal`: the request itself is wrong (invalid params, execution reverted, nonce too low);
 *   every endpoint would say the same, so it goes back to the caller as is.
 */
export type RpcFailureKind = 'retryable' | 'unsupported' | 'range' | 'mismatch' | 'fatal';

export class RpcCallError extends Error {
  readonly kind: RpcFailureKind;
  /** JSON-RPC error code, when the node answered with one. */
  readonly rpcCode: number | undefined;
  readonly rpcData: unknown;
  readonly httpStatus: number | undefined;
  /** From a `Retry-After` header: how long this endpoint asked to be left alone. */
  readonly retryAfterMs: number | undefined;
  readonly refusal: LogRangeRefusal | undefined;
  constructor(
    kind: RpcFailureKind,
    message: string,
    details: {
      rpcCode?: number;
      rpcData?: unknown;
      httpStatus?: number;
      retryAfterMs?: number;
      refusal?: LogRangeRefusal;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'RpcCallError';
    this.kind = kind;
    this.rpcCode = details.rpcCode;
    this.rpcData = details.rpcData;
    this.httpStatus = details.httpStatus;
    this.retryAfterMs = details.retryAfterMs;
    this.refusal = details.refusal;
  }
}

const RATE_LIMITED = /rate.?limit|too many requests|request limit|capacity|quota|exceeded .*(?:limit|credits)|throttl/i;
const TRY_ELSEWHERE =
  /header not found|unknown block|block not found|missing trie node|not (?:yet )?(?:synced|available)|timeout|timed out|busy|unavailable|try again|internal|upstream|backend/i;
/** Answers that depend on the request or the chain state, not on the node: every node says the same. */
const CALLER_ERROR =
  /revert|nonce too|insufficient funds|already known|already imported|known transaction|underpriced|less than block base fee|fee cap less than|gas price too low|intrinsic gas|gas too low|exceeds block gas limit|invalid (?:sender|signature|transaction)|replacement transaction|invalid argument|invalid params|(?:fields|type|eip-?\d+) (?:received but )?(?:is )?not supported/i;
/** The node has pruned the state asked for: another node may have it; asking this one again will not help. */
const STATE_PRUNED = /state (?:at block .* )?is pruned|historical state .*not available|BlockOutOfRange/i;
/** Also a node that may still be syncing (geth's "missing trie node"): retried elsewhere, but no state here either. */
const STATE_MISSING = /missing trie node|state (?:is )?not available|state histor|not available for block|unknown ancestor/i;
/** Whether a node's answer means it has no state for the block asked about, as each client says it. */
export const isStateUnavailable = (message: string): boolean => STATE_PRUNED.test(message) || STATE_MISSING.test(message);
const METHOD_MISSING =
  /method not found|method .* (?:not (?:supported|available|found)|does not exist)|unsupported method|not whitelisted/i;

/** Sorts a JSON-RPC error object from a node into what the pool can do about it. */
export function classifyRpcError(method: string, error: { code?: unknown; message?: unknown; data?: unknown }): RpcCallError {
  const code = typeof error.code === 'number' ? error.code : undefined;
  const message = typeof error.message === 'string' ? error.message : 'error without a message';
  const details = { rpcCode: code, rpcData: error.data };
  const text = `${method}: ${message}${typeof error.data === 'string' && error.data !== message ? ` (${error.data})` : ''}`;

  if (method === 'eth_getLogs') {
    const refusal = parseLogRangeError({ code, message, data: error.data });
    if (refusal) return new RpcCallError('range', text, { ...details, refusal });
  }
  if (code === -32601 || METHOD_MISSING.test(message) || STATE_PRUNED.test(message))
    return new RpcCallError('unsupported', text, details);
  if (code === 3 || CALLER_ERROR.test(message)) return new RpcCallError('fatal', text, details);
  if (code === -32005 || code === -32090 || RATE_LIMITED.test(message)) return new RpcCallError('retryable', text, details);
  if (code === -32602 || code === -32600) return new RpcCallError('fatal', text, details);
  // -32603 internal error, -32000 server errors ("header not found", "unknown block", …) and
  // anything unknown from the server range: another node may well answer.
  if (code === -32603 || (code !== undefined && code <= -32000 && code >= -32099) || TRY_ELSEWHERE.test(message))
    return new RpcCallError('retryable', text, details);
  return new RpcCallError('fatal', text, details);
}

/** `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, nowMs: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1_000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
