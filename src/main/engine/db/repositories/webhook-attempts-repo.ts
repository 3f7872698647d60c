import type { Database } from 'better-sqlite3';
import type { WebhookAttempt } from '../../../../shared/webhooks.ts';

interface AttemptRow {
  delivery_id: string;
  attempt: number;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  http_status: number | null;
  response_body: string | null;
  error: string | null;
}

const toAttempt = (row: AttemptRow): WebhookAttempt => ({
  attempt: row.attempt,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  durationMs: row.duration_ms,
  httpStatus: row.http_status,
  responseBody: row.response_body,
  error: row.error,
});

/** Every attempt of every delivery: written when it starts and again when it ends. */
export function createWebhookAttemptsRepo(db: Database) {
  const start = db.prepare('INSERT INTO webhook_attempts (delivery_id, attempt, started_at) VALUES (?, ?, ?)');
  const finish = db.prepare(`
    UPDATE webhook_attempts SET started_at = COALESCE(@startedAt, started_at), finished_at = @finishedAt,
      duration_ms = @durationMs, http_status = @httpStatus,
      response_body = @responseBody, error = @error
    WHERE delivery_id = @deliveryId AND attempt = @attempt AND finished_at IS NULL`);
  const withdraw = db.prepare('DELETE FROM webhook_attempts WHERE delivery_id = ? AND attempt = ? AND finished_at IS NULL');
  const list = db.prepare<[string], AttemptRow>('SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt');
  const stats = db.prepare<[string], { endpoint_id: string; attempts: number; ok: number }>(`
    SELECT d.endpoint_id, COUNT(*) AS attempts, SUM(a.http_status BETWEEN 200 AND 299) AS ok
    FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
    WHERE a.started_at >= ? AND a.finished_at IS NOT NULL
    GROUP BY d.endpoint_id`);
  const last = db.prepare<[string], AttemptRow>(`
    SELECT a.* FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
    WHERE d.endpoint_id = ? AND a.finished_at IS NOT NULL
    ORDER BY a.started_at DESC LIMIT 1`);
  return {
    start(deliveryId: string, attempt: number, startedAt: string): void {
      start.run(deliveryId, attempt, startedAt);
    },
    /** Closes an attempt; `startedAt`, when given, corrects its start (it waited for its turn after the claim). */
    finish(
      result: { deliveryId: string; attempt: number; startedAt?: string | null } & Omit<WebhookAttempt, 'attempt' | 'startedAt'>,
    ): void {
      finish.run({ startedAt: null, ...result });
    },
    /** Removes an attempt that was claimed but never sent (its delivery's claim is withdrawn with it). */
    withdraw(deliveryId: string, attempt: number): void {
      withdraw.run(deliveryId, attempt);
    },
    list(deliveryId: string): WebhookAttempt[] {
      return list.all(deliveryId).map(toAttempt);
    },
    /** Finished attempts per endpoint since a time: how many, how many got a 2xx. */
    statsSince(since: string): Map<string, { attempts: number; ok: number }> {
      return new Map(stats.all(since).map((row) => [row.endpoint_id, { attempts: row.attempts, ok: row.ok }]));
    },
    lastFinished(endpointId: string): WebhookAttempt | undefined {
      const row = last.get(endpointId);
      return row && toAttempt(row);
    },
  };
}
export type WebhookAttemptsRepo = ReturnType<typeof createWebhookAttemptsRepo>;
