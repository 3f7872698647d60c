import type { Database } from 'better-sqlite3';

/** 'native' or a lower-case ERC-20 contract address. */
export type SweepToken = string;
export const NATIVE: SweepToken = 'native';

/** A balance on a deposit address, as last read from the chain. */
export interface SweepDepositRecord {
  chainId: number;
  address: string;
  token: SweepToken;
  derivationIndex: number;
  invoiceId: string | null;
  reason: string;
  balance: bigint;
  balanceBlock: number;
  since: string;
  held: boolean;
}

interface DepositRow {
  chain_id: number;
  address: string;
  token: string;
  derivation_index: number;
  invoice_id: string | null;
  reason: string;
  balance: string;
  balance_block: number;
  since: string;
  held: number;
}

const toRecord = (row: DepositRow): SweepDepositRecord => ({
  chainId: row.chain_id,
  address: row.address,
  token: row.token,
  derivationIndex: row.derivation_index,
  invoiceId: row.invoice_id,
  reason: row.reason,
  balance: BigInt(row.balance),
  balanceBlock: row.balance_block,
  since: row.since,
  held: row.held === 1,
});

export function createSweepDepositsRepo(db: Database) {
  const select = db.prepare<[number, string, string], DepositRow>(
    'SELECT * FROM sweep_deposits WHERE chain_id = ? AND address = ? AND token = ?',
  );
  // A balance read at an older block than the one stored never overwrites it.
  const upsert = db.prepare(`
    INSERT INTO sweep_deposits (chain_id, address, token, derivation_index, invoice_id, reason, balance, balance_block,
                                since, held, updated_at)
    VALUES (@chainId, @address, @token, @derivationIndex, @invoiceId, @reason, @balance, @balanceBlock, @since, @held, @now)
    ON CONFLICT (chain_id, address, token) DO UPDATE SET
      balance = excluded.balance, balance_block = excluded.balance_block, reason = excluded.reason,
      invoice_id = COALESCE(excluded.invoice_id, sweep_deposits.invoice_id),
      since = excluded.since,
      held = excluded.held, updated_at = excluded.updated_at
    WHERE excluded.balance_block >= sweep_deposits.balance_block`);
  const waiting = db.prepare<[number], DepositRow>(
    "SELECT * FROM sweep_deposits WHERE chain_id = ? AND balance <> '0' ORDER BY since, address, token",
  );
  const forChain = db.prepare<[number], DepositRow>('SELECT * FROM sweep_deposits WHERE chain_id = ?');
  const release = db.prepare('UPDATE sweep_deposits SET held = 0, updated_at = ? WHERE chain_id = ? AND held = 1');
  const setHeld = db.prepare('UPDATE sweep_deposits SET held = ?, updated_at = ? WHERE chain_id = ? AND address = ?');
  return {
    get(chainId: number, address: string, token: SweepToken): SweepDepositRecord | undefined {
      const row = select.get(chainId, address.toLowerCase(), token);
      return row && toRecord(row);
    },
    /** Records a balance read at `balanceBlock` (ignored when an equal or newer read is stored). */
    record(deposit: Omit<SweepDepositRecord, 'held'> & { held?: boolean }, now: string): void {
      upsert.run({
        ...deposit,
        address: deposit.address.toLowerCase(),
        balance: deposit.balance.toString(),
        held: deposit.held ? 1 : 0,
        now,
      });
    },
    /** Every non-zero balance on the chain, oldest first (held ones too; the planner skips them). */
    waiting(chainId: number): SweepDepositRecord[] {
      return waiting.all(chainId).map(toRecord);
    },
    all(chainId: number): SweepDepositRecord[] {
      return forChain.all(chainId).map(toRecord);
    },
    /** Holds (or releases) every balance of an address: the planner leaves held ones alone. */
    setHeld(chainId: number, address: string, held: boolean, now: string): void {
      setHeld.run(held ? 1 : 0, now, chainId, address.toLowerCase());
    },
    /** A recovery the merchant confirmed: its deposits may now be swept. */
    releaseHeld(chainId: number, now: string): number {
      return release.run(now, chainId).changes;
    },
  };
}
export type SweepDepositsRepo = ReturnType<typeof createSweepDepositsRepo>;
