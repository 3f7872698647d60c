import { numberToHex } from 'viem';
import type { RpcPool } from './rpc-pool.ts';
import { RpcCallError } from './rpc-call-error.ts';

export type HeaderMethod = 'eth_getHeaderByNumber' | 'eth_getBlockByNumber';

/** Per pool and endpoint: how it serves a header, once it said so (an answer, or "no such method"). */
const headerMethods = new WeakMap<RpcPool, Map<string, Promise<HeaderMethod>>>();

/**
 * How `endpoint` serves a block header. `eth_getBlockByNumber(n, false)` lists every transaction
 * hash (66 bytes each: 15 KiB for a block of 200), while geth and its forks (op-geth, Arbitrum
 * Nitro, bor, bsc) and reth also answer `eth_getHeaderByNumber(n)` with the header alone (about
 * 1 KiB). Asked once per endpoint with block `probe`; an endpoint that refuses the method is
 * asked for blocks from then on. A failure that says nothing about the method (a timeout) is not
 * kept: that read uses eth_getBlockByNumber and the next one asks again.
 */
export async function headerMethod(rpc: RpcPool, endpoint: string, probe: number, signal?: AbortSignal): Promise<HeaderMethod> {
  let known = headerMethods.get(rpc);
  if (!known) headerMethods.set(rpc, (known = new Map()));
  const cached = known.get(endpoint);
  if (cached) return cached;
  const asked = rpc
    .request<{ hash?: unknown } | null>('eth_getHeaderByNumber', [numberToHex(probe)], { endpoint, atLeastBlock: probe, signal })
    .then(
      (header): HeaderMethod => (header && typeof header.hash === 'string' ? 'eth_getHeaderByNumber' : 'eth_getBlockByNumber'),
      (error: unknown): HeaderMethod => {
        if (signal?.aborted) throw error;
        if (!(error instanceof RpcCallError && (error.kind === 'unsupported' || error.kind === 'fatal'))) known.delete(endpoint);
        return 'eth_getBlockByNumber';
      },
    );
  known.set(endpoint, asked);
  return asked;
}

/** The JSON-RPC call that reads block `n`: its body, or its header by the endpoint's method. */
export function blockCall(n: number, full: boolean, method: HeaderMethod): { method: string; params: unknown[] } {
  if (full || method === 'eth_getBlockByNumber') return { method: 'eth_getBlockByNumber', params: [numberToHex(n), full] };
  return { method, params: [numberToHex(n)] };
}
