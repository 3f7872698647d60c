import type { Database } from 'better-sqlite3';

export interface SweeperLease {
  holder: string;
  pid: number;
  host: string;
  until: string;
}

/**
 * One process at a time signs and broadcasts for a data folder. The lease is renewed while the
 * sweeper runs; another process may take it once it lapsed, or at once when the holder is a
 * process of this host that no longer exists (a kill -9).
 */
export function createSweeperLeaseRepo(db: Database) {
  const select = db.prepare<[], SweeperLease>('SELECT holder, pid, host, until FROM sweeper_lease WHERE id = 1');
  const upsert = db.prepare(`
    INSERT INTO sweeper_lease (id, holder, pid, host, until) VALUES (1, @holder, @pid, @host, @until)
    ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, host = excluded.host, until = excluded.until`);
  const release = db.prepare('DELETE FROM sweeper_lease WHERE id = 1 AND holder = ?');
  return {
    get(): SweeperLease | undefined {
      return select.get();
    },
    /** Call inside a write transaction, after deciding the lease may be taken. */
    set(lease: SweeperLease): void {
      upsert.run(lease);
    },
    release(holder: string): void {
      release.run(holder);
    },
  };
}
export type SweeperLeaseRepo = ReturnType<typeof createSweeperLeaseRepo>;
