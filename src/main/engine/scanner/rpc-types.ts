/** The slices of JSON-RPC answers the scanner reads. Quantities are hex strings on the wire. */
export interface RpcTransaction {
  hash: string;
  from: string;
  to: string | null;
  value: string;
}

export interface RpcBlock {
  number: string;
  hash: string;
  parentHash: string;
  timestamp: string;
  /** Hashes, or full objects when asked with `true`; absent from a header (eth_getHeaderByNumber, newHeads). */
  transactions: (string | RpcTransaction)[];
  /** Transactions the block held, kept by `headerOf` when the answer listed them. */
  txCount?: number;
}

export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string | bigint | number;
  blockHash: string;
  transactionHash: string;
  logIndex: string | number;
  /** execution-apis since 2025: geth 1.16, Erigon, Besu, reth, anvil; absent from older nodes. */
  blockTimestamp?: string | bigint | number | null;
  removed?: boolean;
}

export const hexNumber = (value: string | bigint | number): number =>
  typeof value === 'string' ? Number(BigInt(value)) : Number(value);
export const toHex = (value: number): string => `0x${value.toString(16)}`;
export const blockTimeIso = (block: Pick<RpcBlock, 'timestamp'>): string =>
  new Date(hexNumber(block.timestamp) * 1000).toISOString();
