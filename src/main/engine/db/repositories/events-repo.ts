import type { Database } from 'better-sqlite3';

export interface EventRecord {
  id: string;
  invoiceId: string | null;
  type: string;
  sequence: number;
  payload: unknown;
  createdAt: string;
}

interface EventRow {
  seq: number;
  id: string;
  invoice_id: string | null;
  type: string;
  sequence: number;
  payload: string;
  created_at: string;
}

const toRecord = (row: EventRow): EventRecord => ({
  id: row.id,
  invoiceId: row.invoice_id,
  type: row.type,
  sequence: row.sequence,
  payload: JSON.parse(row.payload) as unknown,
  createdAt: row.created_at,
});

/** The outbox. Written in the same transaction as the state change it reports. */
export function createEventsRepo(db: Database) {
  // `+?`: this SQLite is built with STAT4, which re-plans a statement for every new value bound
  // to an indexed column; the unary plus keeps the same (index) plan without re-preparing.
  const nextSequence = db.prepare<[string], { next: number }>(
    'SELECT COALESCE(MAX(sequence), 0) + 1 AS next FROM events WHERE invoice_id = +?',
  );
  const insert = db.prepare('INSERT INTO events (id, invoice_id, type, sequence, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const byInvoice = db.prepare<[string], EventRow>('SELECT * FROM events WHERE invoice_id = ? ORDER BY sequence');
  const after = db.prepare<[number, number], { seq: number; invoice_id: string | null }>(
    'SELECT seq, invoice_id FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  const maxSeq = db.prepare<[], { top: number | null }>('SELECT MAX(seq) AS top FROM events');
  const byId = db.prepare<[string], EventRow>('SELECT * FROM events WHERE id = ?');
  const headsAfter = db.prepare<[number, number], Omit<EventRow, 'payload'>>(
    'SELECT seq, id, invoice_id, type, sequence, created_at FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
  );
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
    /** An event that belongs to no invoice (a webhook ping): sequence 0. */
    appendStandalone(event: { id: string; type: string; payload: unknown; createdAt: string }): EventRecord {
      insert.run(event.id, null, event.type, 0, JSON.stringify(event.payload), event.createdAt);
      return { ...event, invoiceId: null, sequence: 0 };
    },
    get(id: string): EventRecord | undefined {
      const row = byId.get(id);
      return row && toRecord(row);
    },
    /** Events after `seq` without their payloads, oldest first, for the webhook fan-out. */
    after(seq: number, limit: number): (Omit<EventRecord, 'payload'> & { seq: number })[] {
      return headsAfter.all(seq, limit).map((row) => ({
        seq: row.seq,
        id: row.id,
        invoiceId: row.invoice_id,
        type: row.type,
        sequence: row.sequence,
        createdAt: row.created_at,
      }));
    },
    listForInvoice(invoiceId: string): EventRecord[] {
      return byInvoice.all(invoiceId).map(toRecord);
    },
  };
}
export type EventsRepo = ReturnType<typeof createEventsRepo>;
