import type { Database } from 'better-sqlite3';

export interface SweeperContractRecord {
  chainId: number;
  treasury: string;
  address: string;
  sweepId: string;
  status: 'deploying' | 'ready' | 'failed';
}

interface ContractRow {
  chain_id: number;
  treasury: string;
  address: string;
  sweep_id: string;
  status: SweeperContractRecord['status'];
}

const toRecord = (row: ContractRow): SweeperContractRecord => ({
  chainId: row.chain_id,
  treasury: row.treasury,
  address: row.address,
  sweepId: row.sweep_id,
  status: row.status,
});

/** The sweeper delegate of each chain and treasury (a new treasury means a new deployment). */
export function createSweeperContractsRepo(db: Database) {
  const select = db.prepare<[number, string], ContractRow>('SELECT * FROM sweeper_contracts WHERE chain_id = ? AND treasury = ?');
  const bySweep = db.prepare<[string], ContractRow>('SELECT * FROM sweeper_contracts WHERE sweep_id = ?');
  const upsert = db.prepare(`
    INSERT INTO sweeper_contracts (chain_id, treasury, address, sweep_id, status, created_at, updated_at)
    VALUES (@chainId, @treasury, @address, @sweepId, @status, @now, @now)
    ON CONFLICT (chain_id, treasury) DO UPDATE SET address = excluded.address, sweep_id = excluded.sweep_id,
      status = excluded.status, updated_at = excluded.updated_at`);
  const setStatus = db.prepare('UPDATE sweeper_contracts SET status = ?, updated_at = ? WHERE sweep_id = ?');
  return {
    get(chainId: number, treasury: string): SweeperContractRecord | undefined {
      const row = select.get(chainId, treasury.toLowerCase());
      return row && toRecord(row);
    },
    bySweep(sweepId: string): SweeperContractRecord | undefined {
      const row = bySweep.get(sweepId);
      return row && toRecord(row);
    },
    save(record: SweeperContractRecord, now: string): void {
      upsert.run({ ...record, treasury: record.treasury.toLowerCase(), address: record.address.toLowerCase(), now });
    },
    setStatus(sweepId: string, status: SweeperContractRecord['status'], now: string): void {
      setStatus.run(status, now, sweepId);
    },
  };
}
export type SweeperContractsRepo = ReturnType<typeof createSweeperContractsRepo>;
