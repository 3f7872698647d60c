import type { Logger } from 'pino';
import type { Store } from '../db/store.ts';
import { sleep } from '../lib/shutdown.ts';

export interface AddressPoolOptions {
  store: Store;
  /** Derives the deposit address of index i from the account xpub (no private key involved). */
  derive(index: number): string;
  logger: Logger;
  /** How many addresses to keep derived beyond the next unused index. */
  ahead?: number;
}

/**
 * Deposit addresses derived ahead of need. HD derivation costs about a millisecond of EC math
 * per address, which would cap invoice creation near 1,000/s on one core; the pool moves that
 * work out of the request path into idle time. A pool miss falls back to deriving inline, so
 * correctness never depends on the pool being warm.
 */
export function createAddressPool(options: AddressPoolOptions) {
  const ahead = options.ahead ?? 2_000;
  const { store } = options;

  return {
    addressAt(index: number): string {
      return store.addressPool.addressAt(index) ?? options.derive(index);
    },
    /** Derives up to `batch` addresses the pool is missing; returns how many it added. */
    refill(batch = 250): number {
      const wallet = store.wallet.get();
      if (!wallet) return 0;
      const from = Math.max(store.addressPool.highestIndex() + 1, wallet.nextIndex);
      const to = Math.min(wallet.nextIndex + ahead, from + batch);
      if (to <= from) return 0;
      const rows: { index: number; address: string }[] = [];
      for (let index = from; index < to; index++) rows.push({ index, address: options.derive(index) });
      store.addressPool.add(rows);
      return rows.length;
    },
    /** Keeps the pool topped up until the signal aborts; yields between batches so requests go first. */
    async run(signal: AbortSignal): Promise<void> {
      while (!signal.aborted) {
        let added = 0;
        try {
          added = this.refill();
        } catch (error) {
          options.logger.error({ err: error }, 'address pool refill failed');
        }
        await sleep(added > 0 ? 5 : 500, signal);
      }
    },
  };
}
export type AddressPool = ReturnType<typeof createAddressPool>;
