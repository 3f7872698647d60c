import type { Database } from 'better-sqlite3';

export type SweepRequestAction = 'sweep' | 'bump' | 'retry';

export interface SweepRequestRecord {
  id: string;
  action: SweepRequestAction;
  /** The sweep a bump or retry is for. */
  sweepId: string | null;
  chainId: number | null;
  requestedBy: string;
  requestedAt: string;
  handledAt: string | null;
  result: string | null;
}

interface RequestRow {
  id: string;
  action: SweepRequestAction;
  sweep_id: string | null;
  chain_id: number | null;
  requested_by: string;
  requested_at: string;
  handled_at: string | null;
  result: string | null;
}

const toRecord = (row: RequestRow): SweepRequestRecord => ({
  id: row.id,
  action: row.action,
  sweepId: row.sweep_id,
  chainId: row.chain_id,
  requestedBy: row.requested_by,
  requestedAt: row.requested_at,
  handledAt: row.handled_at,
  result: row.result,
});

/** "Sweep now" asked of the process that runs the sweeper, by one that does not (the CLI). */
export function createSweepRequestsRepo(db: Database) {
  const insert = db.prepare(
    `INSERT INTO sweep_requests (id, action, sweep_id, chain_id, requested_by, requested_at)
     VALUES (@id, @action, @sweepId, @chainId, @requestedBy, @requestedAt)`,
  );
  const unhandled = db.prepare<[], RequestRow>('SELECT * FROM sweep_requests WHERE handled_at IS NULL ORDER BY requested_at');
  const byId = db.prepare<[string], RequestRow>('SELECT * FROM sweep_requests WHERE id = ?');
  const handle = db.prepare('UPDATE sweep_requests SET handled_at = ?, result = ? WHERE id = ?');
  return {
    insert(request: Pick<SweepRequestRecord, 'id' | 'action' | 'sweepId' | 'chainId' | 'requestedBy' | 'requestedAt'>): void {
      insert.run(request);
    },
    unhandled(): SweepRequestRecord[] {
      return unhandled.all().map(toRecord);
    },
    get(id: string): SweepRequestRecord | undefined {
      const row = byId.get(id);
      return row && toRecord(row);
    },
    handled(id: string, at: string, result: unknown): void {
      handle.run(at, JSON.stringify(result), id);
    },
  };
}
export type SweepRequestsRepo = ReturnType<typeof createSweepRequestsRepo>;
