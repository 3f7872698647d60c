import type { Database } from 'better-sqlite3';

export interface BalanceSnapshot {
  blockNumber: number;
  blockHash: string;
  /** Lower-case address → balance in wei at that block. */
  balances: Map<string, bigint>;
}

/** Balances of watched native deposit addresses at one block (see migration 0100). */
export function createNativeBalancesRepo(db: Database) {
  const selectSnapshot = db.prepare<[number], { block_number: number; block_hash: string }>(
    'SELECT block_number, block_hash FROM native_balance_snapshots WHERE chain_id = ?',
  );
  const selectBalances = db.prepare<[number], { address: string; balance: string }>(
    'SELECT address, balance FROM native_balances WHERE chain_id = ?',
  );
  const upsertSnapshot = db.prepare(`
    INSERT INTO native_balance_snapshots (chain_id, block_number, block_hash) VALUES (?, ?, ?)
    ON CONFLICT (chain_id) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash`);
  const upsertBalance = db.prepare(`
    INSERT INTO native_balances (chain_id, address, balance) VALUES (?, ?, ?)
    ON CONFLICT (chain_id, address) DO UPDATE SET balance = excluded.balance`);
  const deleteBalances = db.prepare('DELETE FROM native_balances WHERE chain_id = ?');
  const deleteSnapshot = db.prepare('DELETE FROM native_balance_snapshots WHERE chain_id = ?');

  return {
    /** The snapshot; `withBalances: false` reads only which block it is at (the map stays empty). */
    get(chainId: number, options: { withBalances?: boolean } = {}): BalanceSnapshot | undefined {
      const snapshot = selectSnapshot.get(chainId);
      if (!snapshot) return undefined;
      const balances = new Map<string, bigint>();
      if (options.withBalances !== false)
        for (const row of selectBalances.iterate(chainId)) balances.set(row.address, BigInt(row.balance));
      return { blockNumber: snapshot.block_number, blockHash: snapshot.block_hash, balances };
    },
    /**
     * Moves the snapshot to `block`; `balances` are the rows that changed (or all of them with
     * `replace`). Call inside the transaction that moves the scan cursor to the same block.
     */
    save(
      chainId: number,
      block: { number: number; hash: string },
      balances: Map<string, bigint>,
      options: { replace: boolean },
    ): void {
      if (options.replace) deleteBalances.run(chainId);
      for (const [address, balance] of balances) upsertBalance.run(chainId, address, balance.toString());
      upsertSnapshot.run(chainId, block.number, block.hash);
    },
    clear(chainId: number): void {
      deleteBalances.run(chainId);
      deleteSnapshot.run(chainId);
    },
  };
}
export type NativeBalancesRepo = ReturnType<typeof createNativeBalancesRepo>;
