import { z } from 'zod';

const hexQuantity = z.string().regex(/^0x[0-9a-fA-F]+$/);
const hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);

/** The part of a `newHeads` notification the pool keeps (the node sends more: roots, bloom, gas). */
const newHeadSchema = z.object({ number: hexQuantity, hash: hash32, parentHash: hash32, timestamp: hexQuantity });

/**
 * A header as an endpoint pushed it, shaped as an `eth_getBlockByNumber(n, false)` answer reduced
 * to its header (lower-case hashes, no transaction list), so the scanner can use it in that place.
 */
export interface PushedHeader {
  number: `0x${string}`;
  hash: string;
  parentHash: string;
  timestamp: string;
  transactions: never[];
}

/** A valid `newHeads` notification as a PushedHeader, or null for anything else (it is ignored). */
export function parseNewHead(notification: unknown): PushedHeader | null {
  const parsed = newHeadSchema.safeParse(notification);
  if (!parsed.success) return null;
  const { number, hash, parentHash, timestamp } = parsed.data;
  return {
    number: `0x${BigInt(number).toString(16)}`,
    hash: hash.toLowerCase(),
    parentHash: parentHash.toLowerCase(),
    timestamp,
    transactions: [],
  };
}

/** Heights kept per endpoint: a few minutes of any chain, far more than a one-block step looks back. */
export const PUSHED_HEADERS_KEPT = 256;

/**
 * One endpoint's recently pushed headers. Invariant: what it holds is one chain linked
 * parentHash → hash, ending at the last header pushed. Nodes do not push every replaced block of
 * a reorg (geth announces only the new head, skipping the heights in between), so a header kept
 * from before a reorg could otherwise outlive it unannounced: a new head that does not hang off
 * the kept one below it drops everything below it, and heights above a new head are gone with the
 * fork it replaced, as are heights above a head the endpoint reports otherwise (dropAbove). The
 * caller clears it whenever the subscription may have missed a notification.
 */
export function createPushedHeaders(kept = PUSHED_HEADERS_KEPT) {
  const byNumber = new Map<number, PushedHeader>();

  return {
    add(header: PushedHeader): void {
      const number = Number(BigInt(header.number));
      for (const n of byNumber.keys()) if (n > number) byNumber.delete(n);
      const below = byNumber.get(number - 1);
      if (!below || below.hash !== header.parentHash) byNumber.clear();
      byNumber.set(number, header);
      // Contiguous by the invariant above: the oldest kept height is number - size + 1.
      for (let n = number - byNumber.size + 1; byNumber.size > kept; n++) byNumber.delete(n);
    },
    /**
     * The endpoint said its head is `head` (eth_blockNumber): kept heights above it are gone.
     * (anvil_rollback and geth's debug_setHead shorten the chain without a notification.)
     */
    dropAbove(head: number): void {
      for (const n of byNumber.keys()) if (n > head) byNumber.delete(n);
    },
    get(number: number): PushedHeader | undefined {
      return byNumber.get(number);
    },
    clear(): void {
      byNumber.clear();
    },
    get size(): number {
      return byNumber.size;
    },
  };
}
export type PushedHeaders = ReturnType<typeof createPushedHeaders>;
