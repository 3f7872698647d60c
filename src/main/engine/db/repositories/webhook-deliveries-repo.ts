import type { Database } from 'better-sqlite3';
import type { WebhookDeliveryStatus } from '../../../../shared/webhooks.ts';

export interface WebhookDeliveryRecord {
  seq: number;
  id: string;
  eventId: string;
  endpointId: string;
  invoiceId: string | null;
  sequence: number;
  eventType: string;
  redelivery: boolean;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  leaseUntil: string | null;
  lastHttpStatus: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

interface DeliveryRow {
  seq: number;
  id: string;
  event_id: string;
  endpoint_id: string;
  invoice_id: string | null;
  sequence: number;
  event_type: string;
  redelivery: number;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  lease_until: string | null;
  last_http_status: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

const toRecord = (row: DeliveryRow): WebhookDeliveryRecord => ({
  seq: row.seq,
  id: row.id,
  eventId: row.event_id,
  endpointId: row.endpoint_id,
  invoiceId: row.invoice_id,
  sequence: row.sequence,
  eventType: row.event_type,
  redelivery: row.redelivery === 1,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  leaseUntil: row.lease_until,
  lastHttpStatus: row.last_http_status,
  lastError: row.last_error,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  completedAt: row.completed_at,
});

export interface NewDelivery {
  id: string;
  eventId: string;
  endpointId: string;
  invoiceId: string | null;
  sequence: number;
  eventType: string;
  redelivery: boolean;
  now: string;
}

export interface DeliveryFilter {
  status?: WebhookDeliveryStatus;
  eventType?: string;
  invoiceId?: string;
  endpointId?: string;
  /** Only rows with seq below this (cursor pagination, newest first). */
  beforeSeq?: number;
  limit: number;
}

/** Statuses that still have to reach the endpoint. */
const OPEN = "('pending', 'sending', 'failed')";
/** Open and going to be tried again: a failed ping is final (no next attempt), so it is not waiting. */
const STILL_TO_GO = `(d.status IN ${OPEN} AND NOT (d.status = 'failed' AND d.next_attempt_at IS NULL))`;
/** The WHERE of the partial index webhook_deliveries_unsettled: a query names it to use that index. */
const UNSETTLED = "status IN ('sending', 'failed', 'dead', 'superseded')";
const UNSETTLED_STATUSES: readonly string[] = ['sending', 'failed', 'dead', 'superseded'];
/** The WHERE of the partial index webhook_deliveries_due. */
const WAITING = "status IN ('pending', 'failed')";

export function createWebhookDeliveriesRepo(db: Database) {
  const insert = db.prepare(`
    INSERT INTO webhook_deliveries (id, event_id, endpoint_id, invoice_id, sequence, event_type, redelivery, status,
                                    next_attempt_at, created_at, updated_at)
    VALUES (@id, @eventId, @endpointId, @invoiceId, @sequence, @eventType, @redelivery, 'pending', @now, @now, @now)
    ON CONFLICT DO NOTHING`);
  const byId = db.prepare<[string], DeliveryRow>('SELECT * FROM webhook_deliveries WHERE id = ?');
  // Due on one endpoint, oldest first. Within an invoice, originals go out in sequence order: one
  // waits while an earlier original to the same endpoint is still open. Redeliveries (operator
  // actions) and pings never wait, and hold others back only while their event has not reached
  // the endpoint yet: a resend that superseded a failing original takes over its place in the
  // order (otherwise the invoice's next event, released by the supersede, overtakes the resend).
  // The bound values are written `+?`: better-sqlite3's SQLite is built with STAT4, which
  // re-prepares a statement on every run when its plan could depend on a bound value (here the
  // endpoint id and the LIMIT, next to the ORDER BY) — for this statement that cost more than
  // running it. Unary plus leaves the value as it is but out of the planner's estimates, so the
  // plan is fixed (the due index, then the order index per candidate) and prepared once.
  const due = db.prepare<[string, string, number], DeliveryRow>(`
    SELECT d.* FROM webhook_deliveries d
    WHERE d.endpoint_id = +? AND d.status IN ('pending', 'failed') AND d.next_attempt_at <= +?
      AND (d.redelivery = 1 OR d.invoice_id IS NULL OR NOT EXISTS (
        SELECT 1 FROM webhook_deliveries p
        WHERE p.endpoint_id = d.endpoint_id AND p.invoice_id = d.invoice_id
          AND p.sequence < d.sequence AND p.status IN ${OPEN}
          AND (p.redelivery = 0 OR NOT EXISTS (
            SELECT 1 FROM webhook_deliveries s
            WHERE s.event_id = p.event_id AND s.endpoint_id = p.endpoint_id AND s.status = 'succeeded'))))
    ORDER BY d.next_attempt_at, d.seq
    LIMIT +?`);
  // Only as the caller last saw it (`attempts`): a claim made meanwhile by another process, or a
  // result it recorded, makes this one fail. (No RETURNING: the new count is known, and SQLite's
  // RETURNING costs an ephemeral table per run.)
  const claim = db.prepare<[string, string, string, number, string]>(`
    UPDATE webhook_deliveries SET status = 'sending', attempts = attempts + 1, lease_until = ?, updated_at = ?
    WHERE id = ? AND attempts = ? AND status IN ('pending', 'failed') AND next_attempt_at <= ?`);
  const finish = db.prepare(`
    UPDATE webhook_deliveries SET status = @status, next_attempt_at = @nextAttemptAt, lease_until = NULL,
      last_http_status = @httpStatus, last_error = @error, updated_at = @now,
      completed_at = CASE WHEN @status IN ('succeeded', 'dead') THEN @now ELSE NULL END
    WHERE id = @id AND status = 'sending'`);
  // Back to how the claim found it: pending when it had no attempt before, else failed (the claim
  // changed neither the next attempt time nor the last result).
  const withdraw = db.prepare(`
    UPDATE webhook_deliveries SET status = CASE WHEN attempts = 1 THEN 'pending' ELSE 'failed' END,
      attempts = attempts - 1, lease_until = NULL, updated_at = ?
    WHERE id = ? AND status = 'sending' AND attempts = ?`);
  const expiredLeases = db.prepare<[string], DeliveryRow>(
    `SELECT * FROM webhook_deliveries WHERE ${UNSETTLED} AND status = 'sending' AND lease_until <= ?`,
  );
  const supersede = db.prepare(`
    UPDATE webhook_deliveries SET status = 'superseded', next_attempt_at = NULL, updated_at = ?, completed_at = ?
    WHERE id = ? AND status IN ('pending', 'failed')`);
  const forEvent = db.prepare<[string], DeliveryRow>('SELECT * FROM webhook_deliveries WHERE event_id = ? ORDER BY seq');
  const forInvoice = db.prepare<[string], DeliveryRow>(
    'SELECT * FROM webhook_deliveries WHERE invoice_id = ? ORDER BY sequence, seq',
  );
  // A newer failed or dead delivery of the same event and endpoint stands for the older ones (a
  // dead original and its dead resend give one resend, not two).
  const failedOrDeadSince = db.prepare<[string], DeliveryRow>(`
    SELECT d.* FROM webhook_deliveries d
    WHERE d.${UNSETTLED} AND d.status IN ('failed', 'dead') AND d.created_at >= ? AND d.event_type <> 'ping'
      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries o WHERE o.event_id = d.event_id AND o.endpoint_id = d.endpoint_id
                      AND (o.status IN ('succeeded', 'pending', 'sending') OR o.seq > d.seq AND o.status IN ('failed', 'dead')))
    ORDER BY d.seq`);
  const tooOld = db.prepare<[string, string, string], DeliveryRow>(`
    UPDATE webhook_deliveries SET status = 'dead', next_attempt_at = NULL, updated_at = ?, completed_at = ?
    WHERE ${WAITING} AND next_attempt_at IS NOT NULL AND created_at <= ?
    RETURNING *`);
  // Over the partial indexes only (waiting; out now; dead), never the whole log: the Webhooks
  // screen asks on every push, and a shop's log grows by every event times every endpoint.
  const openStats = db.prepare<[], { endpoint_id: string; open: number; oldest: string | null; dead: number }>(`
    SELECT d.endpoint_id, COUNT(*) AS open, MIN(e.created_at) AS oldest, 0 AS dead
    FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
    WHERE d.${WAITING} AND ${STILL_TO_GO}
    GROUP BY d.endpoint_id
    UNION ALL
    SELECT d.endpoint_id, COUNT(*), MIN(e.created_at), 0
    FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
    WHERE d.${UNSETTLED} AND d.status = 'sending'
    GROUP BY d.endpoint_id
    UNION ALL
    SELECT d.endpoint_id, 0, NULL, COUNT(*)
    FROM webhook_deliveries d
    WHERE d.${UNSETTLED} AND d.status = 'dead'
    GROUP BY d.endpoint_id`);
  // STILL_TO_GO in two parts, each over a partial index rather than the whole log: waiting
  // (pending, or failed with a next attempt) and out now.
  const openCount = db.prepare<[], { n: number }>(`
    SELECT (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.${WAITING} AND ${STILL_TO_GO})
         + (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.${UNSETTLED} AND d.status = 'sending') AS n`);

  return {
    /** Returns false when the original delivery of that event to that endpoint already exists. */
    insert(delivery: NewDelivery): boolean {
      return insert.run({ ...delivery, redelivery: delivery.redelivery ? 1 : 0 }).changes > 0;
    },
    get(id: string): WebhookDeliveryRecord | undefined {
      const row = byId.get(id);
      return row && toRecord(row);
    },
    /** Open deliveries of an endpoint due by `now` and free to go (not held by sequence order), soonest first. */
    due(endpointId: string, now: string, limit: number): WebhookDeliveryRecord[] {
      return due.all(endpointId, now, limit).map(toRecord);
    },
    /** Marks the delivery as out; returns the attempt number, or null when it is not due or not open. */
    claim(delivery: Pick<WebhookDeliveryRecord, 'id' | 'attempts'>, now: string, leaseUntil: string): number | null {
      return claim.run(leaseUntil, now, delivery.id, delivery.attempts, now).changes > 0 ? delivery.attempts + 1 : null;
    },
    finish(
      id: string,
      outcome: {
        status: 'succeeded' | 'failed' | 'dead';
        nextAttemptAt: string | null;
        httpStatus: number | null;
        error: string | null;
      },
      now: string,
    ): boolean {
      return finish.run({ id, ...outcome, now }).changes > 0;
    },
    /** Undoes claim `attempt` of a delivery that was never sent; false when it is not the one out. */
    withdraw(id: string, attempt: number, now: string): boolean {
      return withdraw.run(now, id, attempt).changes > 0;
    },
    /** Attempts whose process went away while they were out. */
    expiredLeases(now: string): WebhookDeliveryRecord[] {
      return expiredLeases.all(now).map(toRecord);
    },
    supersede(id: string, now: string): boolean {
      return supersede.run(now, now, id).changes > 0;
    },
    forEvent(eventId: string): WebhookDeliveryRecord[] {
      return forEvent.all(eventId).map(toRecord);
    },
    forInvoice(invoiceId: string): WebhookDeliveryRecord[] {
      return forInvoice.all(invoiceId).map(toRecord);
    },
    /** The newest failed or dead delivery of each (event, endpoint) since a time that nothing else is delivering. */
    failedOrDeadSince(since: string): WebhookDeliveryRecord[] {
      return failedOrDeadSince.all(since).map(toRecord);
    },
    /** Gives up on deliveries created at or before `cutoff`; returns them. */
    markTooOldDead(cutoff: string, now: string): WebhookDeliveryRecord[] {
      return tooOld.all(now, now, cutoff).map(toRecord);
    },
    list(filter: DeliveryFilter): WebhookDeliveryRecord[] {
      const conditions: [string, string | number | undefined][] = [
        ['status = ?', filter.status],
        ['event_type = ?', filter.eventType],
        ['invoice_id = ?', filter.invoiceId],
        ['endpoint_id = ?', filter.endpointId],
        ['seq < ?', filter.beforeSeq],
      ];
      const used = conditions.filter(([, value]) => value !== undefined && value !== '');
      const where = used.map(([clause]) => clause);
      // Name the partial index's WHERE when it holds the status asked for.
      if (filter.status && UNSETTLED_STATUSES.includes(filter.status)) where.push(UNSETTLED);
      const params = used.map(([, value]) => value!);
      const sql = `SELECT * FROM webhook_deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
      return db
        .prepare<(string | number)[], DeliveryRow>(sql)
        .all(...params, filter.limit)
        .map(toRecord);
    },
    /** Per endpoint: deliveries still open, the oldest open event's time, and dead ones. */
    openStats(): Map<string, { open: number; oldest: string | null; dead: number }> {
      const stats = new Map<string, { open: number; oldest: string | null; dead: number }>();
      for (const row of openStats.all()) {
        const sum = stats.get(row.endpoint_id) ?? { open: 0, oldest: null, dead: 0 };
        sum.open += row.open;
        sum.dead += row.dead;
        if (row.oldest !== null && (sum.oldest === null || row.oldest < sum.oldest)) sum.oldest = row.oldest;
        stats.set(row.endpoint_id, sum);
      }
      return stats;
    },
    openCount(): number {
      return openCount.get()?.n ?? 0;
    },
  };
}
export type WebhookDeliveriesRepo = ReturnType<typeof createWebhookDeliveriesRepo>;
