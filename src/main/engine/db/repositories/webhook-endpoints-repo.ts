import type { Database } from 'better-sqlite3';

export interface WebhookEndpointRecord {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  maxConcurrency: number;
  source: 'app' | 'config';
  afterEventSeq: number;
  createdAt: string;
  updatedAt: string;
}

interface EndpointRow {
  id: string;
  url: string;
  description: string;
  events: string;
  enabled: number;
  disabled_reason: string | null;
  max_concurrency: number;
  source: 'app' | 'config';
  after_event_seq: number;
  created_at: string;
  updated_at: string;
}

const toRecord = (row: EndpointRow): WebhookEndpointRecord => ({
  id: row.id,
  url: row.url,
  description: row.description,
  events: JSON.parse(row.events) as string[],
  enabled: row.enabled === 1,
  disabledReason: row.disabled_reason,
  maxConcurrency: row.max_concurrency,
  source: row.source,
  afterEventSeq: row.after_event_seq,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Whether an endpoint's event filter takes an event type. */
export const endpointWants = (endpoint: Pick<WebhookEndpointRecord, 'events'>, type: string): boolean =>
  endpoint.events.includes('*') || endpoint.events.includes(type);

export function createWebhookEndpointsRepo(db: Database) {
  const insert = db.prepare(`
    INSERT INTO webhook_endpoints (id, url, description, events, enabled, max_concurrency, source, after_event_seq,
                                   created_at, updated_at)
    VALUES (@id, @url, @description, @events, @enabled, @maxConcurrency, @source,
            (SELECT COALESCE(MAX(seq), 0) FROM events), @now, @now)`);
  const update = db.prepare(`
    UPDATE webhook_endpoints SET url = @url, description = @description, events = @events, enabled = @enabled,
      disabled_reason = CASE WHEN @enabled = 1 THEN NULL ELSE disabled_reason END,
      max_concurrency = @maxConcurrency, updated_at = @now
    WHERE id = @id`);
  const disable = db.prepare(
    'UPDATE webhook_endpoints SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ? AND enabled = 1',
  );
  const remove = db.prepare('DELETE FROM webhook_endpoints WHERE id = ?');
  const selectAll = db.prepare<[], EndpointRow>('SELECT * FROM webhook_endpoints ORDER BY created_at, id');
  const selectOne = db.prepare<[string], EndpointRow>('SELECT * FROM webhook_endpoints WHERE id = ?');
  const selectByUrl = db.prepare<[string, string], EndpointRow>(
    'SELECT * FROM webhook_endpoints WHERE url = ? AND source = ? ORDER BY created_at LIMIT 1',
  );
  return {
    insert(endpoint: Omit<WebhookEndpointRecord, 'afterEventSeq' | 'createdAt' | 'updatedAt' | 'disabledReason'>, now: string) {
      insert.run({ ...endpoint, events: JSON.stringify(endpoint.events), enabled: endpoint.enabled ? 1 : 0, now });
      return toRecord(selectOne.get(endpoint.id)!);
    },
    update(
      id: string,
      fields: Pick<WebhookEndpointRecord, 'url' | 'description' | 'events' | 'enabled' | 'maxConcurrency'>,
      now: string,
    ): void {
      update.run({ ...fields, id, events: JSON.stringify(fields.events), enabled: fields.enabled ? 1 : 0, now });
    },
    /** Till's own disabling (e.g. 410 Gone); returns false when it was already disabled. */
    disable(id: string, reason: string, now: string): boolean {
      return disable.run(reason, now, id).changes > 0;
    },
    remove(id: string): boolean {
      return remove.run(id).changes > 0;
    },
    list(): WebhookEndpointRecord[] {
      return selectAll.all().map(toRecord);
    },
    get(id: string): WebhookEndpointRecord | undefined {
      const row = selectOne.get(id);
      return row && toRecord(row);
    },
    findByUrl(url: string, source: 'app' | 'config'): WebhookEndpointRecord | undefined {
      const row = selectByUrl.get(url, source);
      return row && toRecord(row);
    },
  };
}
export type WebhookEndpointsRepo = ReturnType<typeof createWebhookEndpointsRepo>;
