import type { Database } from 'better-sqlite3';

export interface EventRecord {
  id: string;
  invoiceId: string | null;
  type: string;
  sequence: number;
  payload: unknown;
  createdAt: string;
}

/** The outbox. Written in the same transaction as the state change it reports. */
export function createEventsRepo(db: Database) {
  const nextSequence = db.prepare<[string], { next: number }>(
    'SELECT COALESCE(MAX(sequence), 0) + 1 AS next FROM events WHERE invoice_id = ?',
  );
  const insert = db.prepare('INSERT INTO events (id, invoice_id, type, sequence, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const byInvoice = db.prepare<
    [string],
    { id: string; invoice_id: string | null; type: string; sequence: number; payload: string; created_at: string }
  >('SELECT id, invoice_id, type, sequence, payload, created_at FROM events WHERE invoice_id = ? ORDER BY sequence');
  const after = db.prepare<[number, number], { seq: number; invoice_id: string | null }>(
    'SELECT seq, invoice_id FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  const maxSeq = db.prepare<[], { top: number | null }>('SELECT MAX(seq) AS top FROM events');
  return {
    /** Position of the newest event; the UI pusher starts tailing from here. */
    maxSeq(): number {
      return maxSeq.get()?.top ?? 0;
    },
    /** Invoice ids touched by events after `seq`, for tailing the outbox. */
    touchedAfter(seq: number, limit = 1000): { seq: number; invoiceId: string | null }[] {
      return after.all(seq, limit).map((row) => ({ seq: row.seq, invoiceId: row.invoice_id }));
    },
    /** Appends an invoice event with the next per-invoice sequence number. */
    appendForInvoice(event: { id: string; invoiceId: string; type: string; payload: unknown; createdAt: string }): EventRecord {
      const sequence = nextSequence.get(event.invoiceId)?.next ?? 1;
      insert.run(event.id, event.invoiceId, event.type, sequence, JSON.stringify(event.payload), event.createdAt);
      return { ...event, sequence };
    },
    listForInvoice(invoiceId: string): EventRecord[] {
      return byInvoice.all(invoiceId).map((row) => ({
        id: row.id,
        invoiceId: row.invoice_id,
        type: row.type,
        sequence: row.sequence,
        payload: JSON.parse(row.payload) as unknown,
        createdAt: row.created_at,
      }));
    },
  };
}
export type EventsRepo = ReturnType<typeof createEventsRepo>;
