import type { Database } from 'better-sqlite3';
import type { PriceFeeds } from '../../../../shared/prices.ts';

/** The merchant's own Chainlink feeds per chain, on top of the presets in shared/price-feeds.ts. */
export function createPriceFeedsRepo(db: Database) {
  const select = db.prepare<[number], { pair: string; address: string; heartbeat_seconds: number }>(
    'SELECT pair, address, heartbeat_seconds FROM price_feeds WHERE chain_id = ? ORDER BY pair',
  );
  const clear = db.prepare('DELETE FROM price_feeds WHERE chain_id = ?');
  const insert = db.prepare('INSERT INTO price_feeds (chain_id, pair, address, heartbeat_seconds) VALUES (?, ?, ?, ?)');
  return {
    forChain(chainId: number): PriceFeeds {
      const feeds: PriceFeeds = {};
      for (const row of select.all(chainId)) feeds[row.pair] = { address: row.address, heartbeatSeconds: row.heartbeat_seconds };
      return feeds;
    },
    /** Replaces the chain's own feeds (call inside a write). */
    replace(chainId: number, feeds: PriceFeeds): void {
      clear.run(chainId);
      for (const [pair, feed] of Object.entries(feeds)) insert.run(chainId, pair, feed.address, feed.heartbeatSeconds);
    },
  };
}
export type PriceFeedsRepo = ReturnType<typeof createPriceFeedsRepo>;
