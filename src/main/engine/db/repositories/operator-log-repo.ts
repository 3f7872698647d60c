import type { Database } from 'better-sqlite3';
import type { OperatorLogEntry } from '../../../../shared/domain.ts';

/** Who did what, when: every troubleshooting action an operator takes. */
export function createOperatorLogRepo(db: Database) {
  const insert = db.prepare('INSERT INTO operator_log (actor, action, target, details, created_at) VALUES (?, ?, ?, ?, ?)');
  const list = db.prepare<
    [number],
    { id: number; actor: string; action: string; target: string | null; details: string | null; created_at: string }
  >('SELECT * FROM operator_log ORDER BY id DESC LIMIT ?');
  return {
    record(
      entry: { actor: string; action: string; target: string | null; details: Record<string, unknown> | null },
      now: string,
    ): void {
      insert.run(entry.actor, entry.action, entry.target, entry.details === null ? null : JSON.stringify(entry.details), now);
    },
    list(limit: number): OperatorLogEntry[] {
      return list.all(limit).map((row) => ({
        id: row.id,
        actor: row.actor,
        action: row.action,
        target: row.target,
        details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>),
        createdAt: row.created_at,
      }));
    },
  };
}
export type OperatorLogRepo = ReturnType<typeof createOperatorLogRepo>;
