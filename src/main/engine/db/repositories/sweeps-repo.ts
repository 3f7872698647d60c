import type { Database } from 'better-sqlite3';
import type { SweepKind, SweepStatus, SweepTrigger } from '../../../../shared/sweeps.ts';

export interface SweepRecord {
  seq: number;
  id: string;
  chainId: number;
  kind: SweepKind;
  /** Lower-case ERC-20 contract; null for native and deploy. */
  token: string | null;
  status: SweepStatus;
  trigger: SweepTrigger;
  value: bigint;
  estimatedGas: number;
  estimatedFee: bigint;
  gasUsed: number | null;
  fee: bigint | null;
  txHash: string | null;
  blockNumber: number | null;
  blockHash: string | null;
  error: string | null;
  createdAt: string;
  minedAt: string | null;
  finalAt: string | null;
}

interface SweepRow {
  seq: number;
  id: string;
  chain_id: number;
  kind: SweepKind;
  token: string | null;
  status: SweepStatus;
  trigger: SweepTrigger;
  value: string;
  estimated_gas: number;
  estimated_fee: string;
  gas_used: number | null;
  fee: string | null;
  tx_hash: string | null;
  block_number: number | null;
  block_hash: string | null;
  error: string | null;
  created_at: string;
  mined_at: string | null;
  final_at: string | null;
}

const toRecord = (row: SweepRow): SweepRecord => ({
  seq: row.seq,
  id: row.id,
  chainId: row.chain_id,
  kind: row.kind,
  token: row.token,
  status: row.status,
  trigger: row.trigger,
  value: BigInt(row.value),
  estimatedGas: row.estimated_gas,
  estimatedFee: BigInt(row.estimated_fee),
  gasUsed: row.gas_used,
  fee: row.fee === null ? null : BigInt(row.fee),
  txHash: row.tx_hash,
  blockNumber: row.block_number,
  blockHash: row.block_hash,
  error: row.error,
  createdAt: row.created_at,
  minedAt: row.mined_at,
  finalAt: row.final_at,
});

export interface SweepOutcome {
  status: SweepStatus;
  gasUsed?: number | null;
  fee?: bigint | null;
  txHash?: string | null;
  blockNumber?: number | null;
  blockHash?: string | null;
  error?: string | null;
  minedAt?: string | null;
  finalAt?: string | null;
}

export function createSweepsRepo(db: Database) {
  const insert = db.prepare(`
    INSERT INTO sweeps (id, chain_id, kind, token, status, trigger, value, estimated_gas, estimated_fee, created_at, updated_at)
    VALUES (@id, @chainId, @kind, @token, 'pending', @trigger, @value, @estimatedGas, @estimatedFee, @now, @now)`);
  const selectById = db.prepare<[string], SweepRow>('SELECT * FROM sweeps WHERE id = ?');
  const open = db.prepare<[number], SweepRow>(
    "SELECT * FROM sweeps WHERE chain_id = ? AND status IN ('pending', 'mined') ORDER BY seq",
  );
  const openCount = db.prepare<[], number>("SELECT COUNT(*) FROM sweeps WHERE status IN ('pending', 'mined')").pluck();
  // A final sweep can still be undone by a reorg deeper than the confirmation depth: it is looked at
  // again while it is this recent.
  const recentFinal = db.prepare<[number, number], SweepRow>(
    "SELECT * FROM sweeps WHERE chain_id = ? AND status = 'final' AND block_number >= ? ORDER BY seq",
  );
  return {
    insert(
      sweep: Pick<SweepRecord, 'id' | 'chainId' | 'kind' | 'token' | 'trigger' | 'value' | 'estimatedGas' | 'estimatedFee'>,
      now: string,
    ): void {
      insert.run({ ...sweep, value: sweep.value.toString(), estimatedFee: sweep.estimatedFee.toString(), now });
    },
    get(id: string): SweepRecord | undefined {
      const row = selectById.get(id);
      return row && toRecord(row);
    },
    open(chainId: number): SweepRecord[] {
      return open.all(chainId).map(toRecord);
    },
    openCount(): number {
      return openCount.get() ?? 0;
    },
    recentFinal(chainId: number, fromBlock: number): SweepRecord[] {
      return recentFinal.all(chainId, fromBlock).map(toRecord);
    },
    /** Sets the given fields (status always); the others stay. */
    update(id: string, outcome: SweepOutcome, now: string): void {
      const sets = ['status = @status', 'updated_at = @now'];
      const params: Record<string, unknown> = { id, status: outcome.status, now };
      const columns: [keyof SweepOutcome, string][] = [
        ['gasUsed', 'gas_used'],
        ['fee', 'fee'],
        ['txHash', 'tx_hash'],
        ['blockNumber', 'block_number'],
        ['blockHash', 'block_hash'],
        ['error', 'error'],
        ['minedAt', 'mined_at'],
        ['finalAt', 'final_at'],
      ];
      for (const [key, column] of columns) {
        if (!(key in outcome)) continue;
        const value = outcome[key];
        sets.push(`${column} = @${key}`);
        params[key] = typeof value === 'bigint' ? value.toString() : (value ?? null);
      }
      db.prepare(`UPDATE sweeps SET ${sets.join(', ')} WHERE id = @id`).run(params);
    },
    list(query: { status?: SweepStatus; chainId?: number; beforeSeq?: number; limit: number }): SweepRecord[] {
      const where: string[] = [];
      if (query.status) where.push('status = @status');
      if (query.chainId !== undefined) where.push('chain_id = @chainId');
      if (query.beforeSeq !== undefined) where.push('seq < @beforeSeq');
      const sql = `SELECT * FROM sweeps ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`;
      return (db.prepare(sql).all(query) as SweepRow[]).map(toRecord);
    },
  };
}
export type SweepsRepo = ReturnType<typeof createSweepsRepo>;
