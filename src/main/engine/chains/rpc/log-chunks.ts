import type { Logger } from 'pino';
import type { Log, RpcLog } from 'viem';
import { formatLog, hexToNumber, isHex, numberToHex } from 'viem';
import type { Endpoint } from './endpoint-state.ts';
import type { JsonRpcClient } from './json-rpc-client.ts';
import { RpcCallError } from './rpc-call-error.ts';

export interface LogFilter {
  address?: `0x${string}` | `0x${string}`[];
  topics: (string | string[] | null)[];
}

/**
 * One `eth_getLogs` chunk from `from` on one endpoint, as wide as that endpoint accepts
 * (its `maxLogRange`, capped at `to`). A range refusal shrinks the span and asks the same
 * endpoint again at once; everything else goes back to the pool's failover.
 */
export async function fetchLogChunk(
  client: JsonRpcClient,
  endpoint: Endpoint,
  filter: LogFilter,
  from: number,
  to: number,
  signal: AbortSignal | undefined,
  logger: Logger,
): Promise<{ logs: Log[]; toBlock: number }> {
  for (;;) {
    const span = endpoint.maxLogRange;
    const chunkTo = Math.min(to, from + span - 1);
    let raw: unknown;
    try {
      raw = await client.call('eth_getLogs', [{ ...filter, fromBlock: numberToHex(from), toBlock: numberToHex(chunkTo) }], {
        signal,
      });
    } catch (error) {
      if (!(error instanceof RpcCallError) || error.kind !== 'range' || !error.refusal) throw error;
      const asked = chunkTo - from + 1;
      if (asked <= 1)
        throw new RpcCallError('unsupported', `eth_getLogs refused even a single block (${from}): ${error.message}`, {
          rpcCode: error.rpcCode,
        });
      endpoint.logRangeRefused(asked, error.refusal);
      logger.info(
        { endpoint: endpoint.display, refused: asked, next: endpoint.maxLogRange, cause: error.refusal.cause },
        'RPC endpoint refused an eth_getLogs span; narrowing',
      );
      continue;
    }
    const logs = checkLogs(raw, from, chunkTo);
    endpoint.logRangeServed(chunkTo - from + 1);
    return { logs, toBlock: chunkTo };
  }
}

/** Pending logs (no blockHash) or logs outside the asked span mean the answer cannot be trusted. */
function checkLogs(raw: unknown, from: number, to: number): Log[] {
  if (!Array.isArray(raw)) throw new RpcCallError('retryable', 'eth_getLogs: the answer is not a list of logs');
  return raw.map((item: RpcLog) => {
    if (!item || !isHex(item.blockHash) || !isHex(item.blockNumber) || !isHex(item.logIndex))
      throw new RpcCallError('retryable', 'eth_getLogs: a log without blockHash, blockNumber or logIndex');
    const block = hexToNumber(item.blockNumber);
    if (block < from || block > to)
      throw new RpcCallError('retryable', `eth_getLogs: a log from block ${block}, outside the asked ${from}–${to}`);
    return formatLog(item);
  });
}

export function sortLogs(logs: Log[]): Log[] {
  return logs.sort((a, b) =>
    a.blockNumber === b.blockNumber ? (a.logIndex ?? 0) - (b.logIndex ?? 0) : a.blockNumber! < b.blockNumber! ? -1 : 1,
  );
}
