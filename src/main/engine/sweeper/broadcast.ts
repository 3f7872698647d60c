import { RpcCallError } from '../chains/rpc/rpc-call-error.ts';
import { TillError } from '../lib/errors.ts';
import { classifySendError, strongestRefusal, type SendRefusal } from './send-errors.ts';
import type { SweepChain } from './sweep-chain.ts';

export type BroadcastOutcome =
  | { kind: 'accepted'; endpoints: number }
  | { kind: 'refused'; refusal: SendRefusal; message: string }
  | { kind: 'unreachable'; message: string };

/**
 * Sends one signed transaction to every healthy endpoint of the chain at once: one provider that
 * drops it (or never gossips it) cannot leave it unmined. Accepted when any endpoint took it (or
 * already had it). Sending the same bytes again is always safe: the hash is the same.
 */
export async function broadcastRaw(chain: SweepChain, raw: `0x${string}`, signal?: AbortSignal): Promise<BroadcastOutcome> {
  let endpoints = chain.pool.endpointsAt(0);
  if (endpoints.length === 0) {
    try {
      await chain.head(signal);
    } catch (error) {
      return { kind: 'unreachable', message: error instanceof Error ? error.message : String(error) };
    }
    endpoints = chain.pool.endpointsAt(0);
  }
  if (endpoints.length === 0) return { kind: 'unreachable', message: `No RPC endpoint of chain ${chain.chainId} is healthy.` };
  const results = await Promise.allSettled(
    endpoints.map((endpoint) => chain.pool.request<string>('eth_sendRawTransaction', [raw], { endpoint, signal })),
  );
  let accepted = 0;
  const refusals: { kind: SendRefusal; message: string }[] = [];
  const failures: string[] = [];
  for (const result of results) {
    if (result.status === 'fulfilled') {
      accepted++;
      continue;
    }
    const error = result.reason as unknown;
    // The node's answer about the transaction itself; anything else is the endpoint being unwell.
    if (error instanceof RpcCallError && error.kind === 'fatal') {
      const kind = classifySendError(error.message);
      if (kind === 'already_known') accepted++;
      else refusals.push({ kind, message: error.message });
    } else failures.push(error instanceof Error ? error.message : String(error));
  }
  if (accepted > 0) return { kind: 'accepted', endpoints: accepted };
  const strongest = strongestRefusal(refusals.map((r) => r.kind));
  if (strongest) return { kind: 'refused', refusal: strongest, message: refusals.find((r) => r.kind === strongest)!.message };
  return { kind: 'unreachable', message: failures[0] ?? 'no endpoint answered' };
}

/** The chain answered but the transaction cannot be built: e.g. the gas account cannot pay. */
export class GasAccountShortError extends TillError {
  readonly needed: bigint;
  readonly balance: bigint;
  constructor(chainId: number, needed: bigint, balance: bigint, message: string) {
    super('SWEEP_UNAVAILABLE', message, { details: { chainId, needed: needed.toString(), balance: balance.toString() } });
    this.needed = needed;
    this.balance = balance;
  }
}
