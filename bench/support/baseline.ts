// The baseline scanner: only the RPC calls a scan of [from, to] for a watched set cannot avoid,
// one at a time, straight fetch, and only the decoding needed to find the matches.
// - eth_getLogs for Transfer with the recipient topic limited to the watched addresses, 1,000
//   addresses per filter (like Till), over the whole range at once (anvil accepts any span);
// - eth_getBlockByNumber(n, true) for every block, JSON-RPC batches of 50 (native transfers).
// No reorg checks, no store, no block headers for the token-only case.
import { hex, rpc, rpcBatch } from './json-rpc.ts';

const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

export interface BaselineResult {
  tokenMatches: number;
  nativeMatches: number;
  calls: Record<string, number>;
  httpRequests: number;
}

export async function baselineScan(options: {
  url: string;
  from: number;
  to: number;
  /** Lower-case deposit addresses. */
  watched: string[];
  native: boolean;
  addressChunk?: number;
  blockBatch?: number;
  /** Widest eth_getLogs span; anvil has no limit. */
  logSpan?: number;
}): Promise<BaselineResult> {
  const { url, from, to, watched } = options;
  const addressChunk = options.addressChunk ?? 1_000;
  const blockBatch = options.blockBatch ?? 50;
  const logSpan = options.logSpan ?? 1_000_000;
  const set = new Set(watched);
  const calls: Record<string, number> = {};
  let httpRequests = 0;
  let tokenMatches = 0;
  let nativeMatches = 0;

  for (let i = 0; i < watched.length; i += addressChunk) {
    const topics = [TRANSFER_TOPIC, null, watched.slice(i, i + addressChunk).map((a) => `0x${a.slice(2).padStart(64, '0')}`)];
    for (let start = from; start <= to; start += logSpan) {
      const logs = await rpc<{ topics: string[] }[]>(url, 'eth_getLogs', [
        { fromBlock: hex(start), toBlock: hex(Math.min(to, start + logSpan - 1)), topics },
      ]);
      calls.eth_getLogs = (calls.eth_getLogs ?? 0) + 1;
      httpRequests++;
      for (const log of logs) if (set.has(`0x${log.topics[2]!.slice(26)}`)) tokenMatches++;
    }
  }

  if (options.native) {
    for (let start = from; start <= to; start += blockBatch) {
      const end = Math.min(to, start + blockBatch - 1);
      const batch = [];
      for (let n = start; n <= end; n++) batch.push({ method: 'eth_getBlockByNumber', params: [hex(n), true] });
      const blocks = await rpcBatch<{ transactions: { to: string | null; value: string }[] }>(url, batch);
      calls.eth_getBlockByNumber = (calls.eth_getBlockByNumber ?? 0) + batch.length;
      httpRequests++;
      for (const block of blocks)
        for (const tx of block.transactions) if (tx.to && set.has(tx.to.toLowerCase()) && tx.value !== '0x0') nativeMatches++;
    }
  }
  return { tokenMatches, nativeMatches, calls, httpRequests };
}
