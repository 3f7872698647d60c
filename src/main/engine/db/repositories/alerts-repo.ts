import type { Database } from 'better-sqlite3';
import type { Alert, AlertSeverity, AlertType } from '../../../../shared/domain.ts';

interface AlertRow {
  id: string;
  seq: number;
  type: AlertType;
  severity: AlertSeverity;
  chain_id: number | null;
  invoice_id: string | null;
  message: string;
  remedy: string;
  details: string | null;
  created_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

const toAlert = (row: AlertRow): Alert => ({
  id: row.id,
  type: row.type,
  severity: row.severity,
  chainId: row.chain_id,
  invoiceId: row.invoice_id,
  message: row.message,
  remedy: row.remedy,
  details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>),
  createdAt: row.created_at,
  acknowledgedAt: row.acknowledged_at,
  acknowledgedBy: row.acknowledged_by,
});

export type NewAlert = Omit<Alert, 'createdAt' | 'acknowledgedAt' | 'acknowledgedBy'> & { dedupeKey?: string };

export function createAlertsRepo(db: Database) {
  // An unacknowledged alert with the same dedupe key absorbs the repeat.
  const insert = db.prepare(`
    INSERT INTO alerts (id, seq, type, severity, chain_id, invoice_id, message, remedy, details, dedupe_key, created_at)
    VALUES (@id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM alerts), @type, @severity, @chainId, @invoiceId, @message, @remedy,
            @details, @dedupeKey, @createdAt)
    ON CONFLICT (dedupe_key) DO NOTHING`);
  const list = db.prepare<[number, number], AlertRow>(
    'SELECT * FROM alerts WHERE (? = 1 OR acknowledged_at IS NULL) ORDER BY seq DESC LIMIT ?',
  );
  const get = db.prepare<[string], AlertRow>('SELECT * FROM alerts WHERE id = ?');
  // Acknowledging frees the dedupe key, so the same condition later raises a fresh alert.
  const acknowledge = db.prepare(
    'UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ?, dedupe_key = NULL WHERE id = ? AND acknowledged_at IS NULL',
  );
  const openCount = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM alerts WHERE acknowledged_at IS NULL');
  return {
    /** Returns true when a new alert row was written. */
    raise(alert: NewAlert, now: string): boolean {
      return (
        insert.run({
          ...alert,
          details: alert.details === null ? null : JSON.stringify(alert.details),
          dedupeKey: alert.dedupeKey ?? null,
          createdAt: now,
        }).changes > 0
      );
    },
    list(options: { includeAcknowledged: boolean; limit: number }): Alert[] {
      return list.all(options.includeAcknowledged ? 1 : 0, options.limit).map(toAlert);
    },
    get(id: string): Alert | undefined {
      const row = get.get(id);
      return row && toAlert(row);
    },
    acknowledge(id: string, by: string, now: string): boolean {
      return acknowledge.run(now, by, id).changes > 0;
    },
    openCount(): number {
      return openCount.get()?.n ?? 0;
    },
  };
}
export type AlertsRepo = ReturnType<typeof createAlertsRepo>;
