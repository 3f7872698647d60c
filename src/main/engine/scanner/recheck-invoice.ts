import type { Store } from '../db/store.ts';
import type { RpcPool } from '../chains/rpc/rpc-pool.ts';
import { isoTime, type Clock } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';
import { refreshInvoice } from '../invoices/invoice-state.ts';
import { TRANSFER_TOPIC, topicForAddress, transfersFromBlocks, transfersFromLogs, type Watched } from './match-transfers.ts';
import { recordTransfers } from './record-transfers.ts';
import { toHex, type RpcBlock, type RpcLog } from './rpc-types.ts';

/** Blocks below the creation block a recheck also looks at (clock skew, a slow first scan). */
export const RECHECK_MARGIN_BLOCKS = 100;
/** A native recheck reads every block body; beyond this it asks for a rescan instead. */
const NATIVE_RECHECK_MAX_BLOCKS = 50_000;

/**
 * Scans one invoice's address from its creation block (minus a margin) to the head, whatever
 * the chain cursor says: the remedy for "I paid but Till shows pending". Found payments go
 * through the same path as the scanner's, so nothing is counted twice.
 */
export async function recheckInvoice(
  deps: { store: Store; clock: Clock; rpc: RpcPool },
  invoiceId: string,
  signal: AbortSignal,
): Promise<number> {
  const { store, clock, rpc } = deps;
  const invoice = store.invoices.get(invoiceId);
  if (!invoice) throw new TillError('INVOICE_NOT_FOUND', `No invoice with id ${invoiceId.slice(0, 64)}.`);
  const head = await rpc.refreshHeads({ signal });
  const start = Math.max(
    0,
    (invoice.creationBlock ?? store.scanCursors.get(invoice.chainId)?.blockNumber ?? head) - RECHECK_MARGIN_BLOCKS,
  );
  const address = invoice.address.toLowerCase();
  const watched = new Map<string, Watched>([[address, { invoiceId, tokenAddress: invoice.tokenAddress?.toLowerCase() ?? null }]]);

  const logs = (await rpc.getLogs({ topics: [TRANSFER_TOPIC, null, [topicForAddress(address)]] }, start, head, {
    signal,
  })) as unknown as RpcLog[];
  const transfers = transfersFromLogs(logs, watched);
  const headers = new Map<number, RpcBlock>();
  if (invoice.tokenAddress === null) {
    if (head - start > NATIVE_RECHECK_MAX_BLOCKS) {
      throw new TillError(
        'VALIDATION_FAILED',
        `This invoice was created ${head - start} blocks ago; a native-coin recheck reads every block. Use a chain rescan from block ${start} instead.`,
      );
    }
    for (let n = start; n <= head; n += 50) {
      const numbers = Array.from({ length: Math.min(50, head - n + 1) }, (_, i) => n + i);
      const blocks = await rpc.batch<RpcBlock | null>(
        numbers.map((b) => ({ method: 'eth_getBlockByNumber', params: [toHex(b), true] })),
        { atLeastBlock: numbers.at(-1)!, signal },
      );
      blocks.forEach((block, index) => {
        if (!block) throw new TillError('CHAIN_RPC_MISMATCH', `The RPC endpoint has no block ${numbers[index]}.`);
        headers.set(numbers[index]!, block);
      });
    }
    transfers.push(...transfersFromBlocks([...headers.values()], watched));
  }
  for (const number of new Set(transfers.map((t) => t.blockNumber))) {
    if (!headers.has(number)) {
      const block = await rpc.request<RpcBlock | null>('eth_getBlockByNumber', [toHex(number), false], {
        atLeastBlock: number,
        signal,
      });
      if (!block) throw new TillError('CHAIN_RPC_MISMATCH', `The RPC endpoint has no block ${number}.`);
      headers.set(number, block);
    }
  }
  // Only blocks the endpoint still has as canonical: a log whose block hash differs is dropped.
  const canonical = transfers.filter((t) => headers.get(t.blockNumber)!.hash.toLowerCase() === t.blockHash);
  const at = isoTime(clock.now());
  return store.write(() => {
    const found = recordTransfers({ store, chainId: invoice.chainId }, canonical, watched, headers, at);
    refreshInvoice({ store, clock }, invoiceId, found.get(invoiceId) ?? []);
    return found.get(invoiceId)?.length ?? 0;
  });
}
