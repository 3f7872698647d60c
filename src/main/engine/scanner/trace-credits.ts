import type { RpcPool } from '../chains/rpc/rpc-pool.ts';
import { RpcCallError } from '../chains/rpc/rpc-call-error.ts';
import type { Transfer } from './match-transfers.ts';
import { hexNumber, toHex } from './rpc-types.ts';

/** One entry of a Parity-style `trace_filter` answer (Erigon, Nethermind, reth, anvil). */
interface RpcTrace {
  type: string;
  action: { from?: string; to?: string; value?: string; callType?: string };
  error?: string;
  traceAddress: number[];
  transactionHash: string | null;
  blockNumber: number | string;
  blockHash: string;
}

export interface TracedCredits {
  /** Top-level transactions that sent native coin to an address: payments, as a block body shows them. */
  payments: Transfer[];
  /** Native coin sent by a contract during a transaction (an internal transfer). */
  internal: Transfer[];
}

/** Addresses per trace_filter call, so a request stays small for providers that cap its size. */
const ADDRESSES_PER_TRACE = 500;

/** Block span of one trace_filter call before the endpoint said otherwise (anvil allows 300). */
const FIRST_SPAN = 1_000;
/** "limited to 300", "max range 1000", "exceeds maximum block range of 500": the number it allows. */
const SPAN_LIMIT = /(?:limited to|max(?:imum)?(?: block)? range(?: of| is)?|at most|up to)\s*(\d+)/i;
const RANGE_REFUSED = /range|too (?:large|many|wide)|limit|exceed/i;

/**
 * Reads the native coin credited to addresses by successful calls, from the node's call traces:
 * where the endpoint offers `trace_filter`, this finds each change's transaction without reading
 * the block it is in (a busy chain's body is 100+ KiB; a trace is a few hundred bytes). A call
 * that reverted, or sits inside one that did, credited nothing and is skipped. Each endpoint's
 * block span is learned from its refusals and kept.
 */
export function createTraceReader(rpc: RpcPool) {
  const spans = new Map<string, number>();

  async function filter(
    addresses: string[],
    from: number,
    to: number,
    options: { endpoint: string; signal: AbortSignal },
  ): Promise<RpcTrace[]> {
    const out: RpcTrace[] = [];
    let start = from;
    while (start <= to) {
      const span = spans.get(options.endpoint) ?? FIRST_SPAN;
      const end = Math.min(to, start + span - 1);
      try {
        out.push(
          ...(await rpc.request<RpcTrace[]>(
            'trace_filter',
            [{ fromBlock: toHex(start), toBlock: toHex(end), toAddress: addresses }],
            { endpoint: options.endpoint, atLeastBlock: end, signal: options.signal },
          )),
        );
        start = end + 1;
      } catch (error) {
        const refused = error instanceof RpcCallError && RANGE_REFUSED.test(error.message) && end > start;
        if (!refused) throw error;
        const allowed = Number(SPAN_LIMIT.exec(error.message)?.[1] ?? 0);
        spans.set(
          options.endpoint,
          allowed > 0 && allowed < end - start + 1 ? allowed : Math.max(1, Math.floor((end - start + 1) / 2)),
        );
      }
    }
    return out;
  }

  /** Credits to `addresses` in [from, to]; null when the endpoint does not offer trace_filter. */
  return async function traceCredits(
    addresses: string[],
    from: number,
    to: number,
    options: { endpoint: string; signal: AbortSignal },
  ): Promise<TracedCredits | null> {
    const traces: RpcTrace[] = [];
    try {
      for (let i = 0; i < addresses.length; i += ADDRESSES_PER_TRACE)
        traces.push(...(await filter(addresses.slice(i, i + ADDRESSES_PER_TRACE), from, to, options)));
    } catch (error) {
      if (error instanceof RpcCallError && (error.kind === 'unsupported' || error.kind === 'fatal')) return null;
      throw error;
    }
    return creditsOf(traces, addresses);
  };
}
export type TraceCredits = ReturnType<typeof createTraceReader>;

function creditsOf(traces: RpcTrace[], addresses: string[]): TracedCredits {
  // Reverted frames by transaction, as "a.b.c" paths: a frame below one of them reverted with it.
  const reverted = new Map<string, string[]>();
  for (const trace of traces)
    if (trace.error && trace.transactionHash)
      reverted.set(trace.transactionHash, [...(reverted.get(trace.transactionHash) ?? []), trace.traceAddress.join('.')]);
  const undone = (trace: RpcTrace) => {
    const path = trace.traceAddress.join('.');
    return (reverted.get(trace.transactionHash ?? '') ?? []).some(
      (failed) => failed === '' || path === failed || path.startsWith(`${failed}.`),
    );
  };
  const watched = new Set(addresses);
  const out: TracedCredits = { payments: [], internal: [] };
  for (const trace of traces) {
    const { action } = trace;
    if (trace.type !== 'call' || action.callType !== 'call' || !action.to || !action.from || !trace.transactionHash) continue;
    const value = BigInt(action.value ?? '0x0');
    const recipient = action.to.toLowerCase();
    if (value === 0n || !watched.has(recipient) || trace.error || undone(trace)) continue;
    const transfer: Transfer = {
      kind: 'native',
      txHash: trace.transactionHash.toLowerCase(),
      logIndex: -1,
      tokenAddress: null,
      from: action.from.toLowerCase(),
      to: recipient,
      amount: value,
      blockNumber: hexNumber(trace.blockNumber),
      blockHash: trace.blockHash.toLowerCase(),
    };
    (trace.traceAddress.length === 0 ? out.payments : out.internal).push(transfer);
  }
  return out;
}
