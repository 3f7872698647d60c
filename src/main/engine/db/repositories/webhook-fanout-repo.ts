import type { Database } from 'better-sqlite3';

/** Where the webhook fan-out stands in the outbox (events.seq). */
export function createWebhookFanoutRepo(db: Database) {
  const get = db.prepare<[], { event_seq: number }>('SELECT event_seq FROM webhook_fanout WHERE id = 1');
  const set = db.prepare('UPDATE webhook_fanout SET event_seq = ? WHERE id = 1');
  return {
    position(): number {
      return get.get()?.event_seq ?? 0;
    },
    advance(seq: number): void {
      set.run(seq);
    },
  };
}
export type WebhookFanoutRepo = ReturnType<typeof createWebhookFanoutRepo>;
