import { numberToHex } from 'viem';
import type { RpcPool } from './rpc-pool.ts';
import { RpcCallError } from './rpc-call-error.ts';

export type HeaderMethod = 'eth_getHeaderByNumber' | 'ots_getBlockDetails' | 'eth_getBlockByNumber';

/** Per pool and endpoint: how it serves a header, once it said so (an answer, or "no such method"). */
const headerMethods = new WeakMap<RpcPool, Map<string, Promise<HeaderMethod>>>();

/** Whether a failed probe says the endpoint lacks the method, rather than nothing (a timeout). */
const refused = (error: unknown) => error instanceof RpcCallError && (error.kind === 'unsupported' || error.kind === 'fatal');

/**
 * How `endpoint` serves a block header. `eth_getBlockByNumber(n, false)` lists every transaction
 * hash (66 bytes each: 15 KiB for a block of 200). Geth and its forks (op-geth, Arbitrum Nitro,
 * bor, bsc) and reth answer `eth_getHeaderByNumber(n)` with the header alone (about 1 KiB);
 * Erigon, reth and anvil answer Otterscan's `ots_getBlockDetails(n)` with the block less its
 * transactions (about 2 KiB, with their count). Asked once per endpoint, in that order, with
 * block `probe`; an endpoint that refuses both is asked for blocks from then on. A failure that
 * says nothing about a method (a timeout) is not kept: that read uses eth_getBlockByNumber and
 * the next one asks again.
 */
export async function headerMethod(rpc: RpcPool, endpoint: string, probe: number, signal?: AbortSignal): Promise<HeaderMethod> {
  let known = headerMethods.get(rpc);
  if (!known) headerMethods.set(rpc, (known = new Map()));
  const cached = known.get(endpoint);
  if (cached) return cached;
  const ask = async (method: 'eth_getHeaderByNumber' | 'ots_getBlockDetails'): Promise<boolean | 'unknown'> => {
    try {
      const answer = await rpc.request<unknown>(method, [numberToHex(probe)], { endpoint, atLeastBlock: probe, signal });
      return typeof asHeader(method, answer)?.hash === 'string';
    } catch (error) {
      if (signal?.aborted) throw error;
      return refused(error) ? false : 'unknown';
    }
  };
  const asked = (async (): Promise<HeaderMethod> => {
    for (const method of ['eth_getHeaderByNumber', 'ots_getBlockDetails'] as const) {
      const answer = await ask(method);
      if (answer === true) return method;
      if (answer === 'unknown') {
        known.delete(endpoint);
        return 'eth_getBlockByNumber';
      }
    }
    return 'eth_getBlockByNumber';
  })();
  known.set(endpoint, asked);
  return asked;
}

/** The JSON-RPC call that reads block `n`: its body, or its header by the endpoint's method. */
export function blockCall(n: number, full: boolean, method: HeaderMethod): { method: string; params: unknown[] } {
  if (full || method === 'eth_getBlockByNumber') return { method: 'eth_getBlockByNumber', params: [numberToHex(n), full] };
  return { method, params: [numberToHex(n)] };
}

/**
 * The block (or header) in an answer to `method`: ots_getBlockDetails wraps it, with the
 * transaction count in place of the list (kept as `txCount` for the scanner's cost model).
 */
export function asHeader<T extends { hash?: unknown }>(method: string, answer: unknown): T | null {
  if (answer === null || typeof answer !== 'object') return null;
  if (method !== 'ots_getBlockDetails') return answer as T;
  const block = (answer as { block?: unknown }).block;
  if (block === null || typeof block !== 'object') return null;
  const { transactionCount, ...rest } = block as { transactionCount?: unknown };
  const txCount =
    typeof transactionCount === 'number'
      ? transactionCount
      : typeof transactionCount === 'string'
        ? Number(BigInt(transactionCount))
        : undefined;
  return (txCount === undefined ? rest : { ...rest, txCount }) as unknown as T;
}
