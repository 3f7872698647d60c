import type { Logger } from 'pino';
import type { Store } from '../db/store.ts';
import { sleep } from '../lib/shutdown.ts';
import type { BatchDeriver } from './batch-deriver.ts';

export interface AddressPoolOptions {
  store: Store;
  /** Derives the deposit address of index i from the account xpub (no private key involved). */
  derive(index: number): string;
  /** Bulk derivation off the request path (a worker thread where available). */
  batchDeriver: BatchDeriver;
  logger: Logger;
  /** How many addresses to keep derived beyond the next unused index. */
  ahead?: number;
}

/**
 * Deposit addresses derived ahead of need. HD derivation costs about half a millisecond of EC
 * math per address, which would cap invoice creation near 2,000/s on one core and stall the
 * event loop; the pool moves that work off the request path. A pool miss falls back to deriving
 * inline, so correctness never depends on the pool being warm: the address of index i is the
 * same whoever derives it, and allocation of i happens only in the invoice transaction.
 */
export function createAddressPool(options: AddressPoolOptions) {
  const ahead = options.ahead ?? 5_000;
  const { store } = options;

  /** Derives up to `batch` addresses the pool is missing; returns how many it added. */
  async function refill(batch = 100): Promise<number> {
    const wallet = store.wallet.get();
    if (!wallet) return 0;
    const from = Math.max(store.addressPool.highestIndex() + 1, wallet.nextIndex);
    const to = Math.min(wallet.nextIndex + ahead, from + batch);
    if (to <= from) return 0;
    const addresses = await options.batchDeriver.derive(wallet.depositXpub, from, to);
    store.addressPool.add(addresses.map((address, offset) => ({ index: from + offset, address })));
    return addresses.length;
  }

  return {
    addressAt(index: number): string {
      return store.addressPool.addressAt(index) ?? options.derive(index);
    },
    refill,
    /** Keeps the pool topped up until the signal aborts. */
    async run(signal: AbortSignal): Promise<void> {
      while (!signal.aborted) {
        let added = 0;
        try {
          added = await refill();
        } catch (error) {
          options.logger.error({ err: error }, 'address pool refill failed');
        }
        await sleep(added > 0 ? 1 : 250, signal);
      }
    },
  };
}
export type AddressPool = ReturnType<typeof createAddressPool>;
