import type { RpcBlock, RpcLog, RpcTransaction } from './rpc-types.ts';
import { hexNumber } from './rpc-types.ts';

/** keccak256("Transfer(address,address,uint256)"), the ERC-20 Transfer event topic. */
export const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

export interface Watched {
  invoiceId: string;
  /** Lower-case ERC-20 contract the invoice expects, or null for the native coin. */
  tokenAddress: string | null;
}

export interface Transfer {
  kind: 'native' | 'erc20';
  txHash: string;
  /** -1 for native transfers. */
  logIndex: number;
  /** Lower-case token contract, null for native. */
  tokenAddress: string | null;
  from: string;
  to: string;
  amount: bigint;
  blockNumber: number;
  blockHash: string;
  /** The block's time (unix seconds) where the answer carried it: a log's `blockTimestamp`. */
  blockTime?: number;
}

export const topicForAddress = (address: string): string => `0x${address.slice(2).toLowerCase().padStart(64, '0')}`;
const addressFromTopic = (topic: string): string => `0x${topic.slice(-40)}`.toLowerCase();

/**
 * ERC-20 Transfer logs to watched addresses. Logs that are not a standard Transfer (ERC-721
 * has a 4th topic; malformed data) are skipped, never guessed at.
 */
export function transfersFromLogs(logs: RpcLog[], watched: Map<string, Watched>): Transfer[] {
  const out: Transfer[] = [];
  for (const log of logs) {
    if (log.removed || log.topics.length !== 3 || log.topics[0]?.toLowerCase() !== TRANSFER_TOPIC) continue;
    const to = addressFromTopic(log.topics[2]!);
    if (!watched.has(to)) continue;
    if (!/^0x[0-9a-fA-F]{64}$/.test(log.data)) continue;
    const amount = BigInt(log.data);
    if (amount === 0n) continue;
    out.push({
      kind: 'erc20',
      txHash: log.transactionHash.toLowerCase(),
      logIndex: hexNumber(log.logIndex),
      tokenAddress: log.address.toLowerCase(),
      from: addressFromTopic(log.topics[1]!),
      to,
      amount,
      blockNumber: hexNumber(log.blockNumber),
      blockHash: log.blockHash.toLowerCase(),
      // 0 is no block's time but a node that leaves the field empty (one such bug is known).
      ...(log.blockTimestamp !== undefined && log.blockTimestamp !== null && hexNumber(log.blockTimestamp) > 0
        ? { blockTime: hexNumber(log.blockTimestamp) }
        : {}),
    });
  }
  return out;
}

/** Top-level native coin transfers to watched addresses; one Map lookup per transaction. */
export function transfersFromBlocks(blocks: RpcBlock[], watched: Map<string, Watched>): Transfer[] {
  const out: Transfer[] = [];
  for (const block of blocks) {
    for (const entry of block.transactions) {
      if (typeof entry === 'string') continue;
      const tx = entry as RpcTransaction;
      if (!tx.to) continue;
      const to = tx.to.toLowerCase();
      if (!watched.has(to)) continue;
      const amount = BigInt(tx.value);
      if (amount === 0n) continue;
      out.push({
        kind: 'native',
        txHash: tx.hash.toLowerCase(),
        logIndex: -1,
        tokenAddress: null,
        from: tx.from.toLowerCase(),
        to,
        amount,
        blockNumber: hexNumber(block.number),
        blockHash: block.hash.toLowerCase(),
      });
    }
  }
  return out;
}
