import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/main/engine/db/connection.ts';
import { databasePath } from '../src/main/engine/engine.ts';
import { CLAIM_DEPTH } from '../src/main/engine/webhooks/webhook-dispatcher.ts';
import { startTestEngine, type TestEngine } from './fixtures/engine.ts';
import { waitFor } from './fixtures/ports.ts';
import { invoiceWithEvents } from './fixtures/webhook-harness.ts';
import { startWebhookReceiver, type WebhookReceiver } from './fixtures/webhook-receiver.ts';

// The dispatcher claims up to CLAIM_DEPTH × an endpoint's maxConcurrency and lets the sender's lane (on
// its worker thread) send at most maxConcurrency at a time. These check the edges of that: the
// bound the shop sees, and what happens to claims that never went out.

/** The most requests a receiver had open at once, from arrival times and a fixed answer delay. */
function mostAtOnce(receiver: WebhookReceiver, delayMs: number): number {
  const arrivals = receiver.received.map((r) => r.receivedAt);
  return Math.max(...arrivals.map((at) => arrivals.filter((other) => other <= at && other + delayMs > at).length));
}

interface AttemptRow {
  delivery_id: string;
  attempt: number;
  error: string | null;
}

describe('an endpoint’s lane', () => {
  let till: TestEngine | undefined;
  let receiver: WebhookReceiver | undefined;
  afterEach(async () => {
    await till?.close();
    await receiver?.close();
    till = receiver = undefined;
  });

  async function setUp(maxConcurrency: number) {
    till = await startTestEngine({ background: true });
    await till.engine.invoke('chains.pause', { chainId: 31337 });
    receiver = await startWebhookReceiver();
    const { endpoint, secret } = await till.engine.invoke('webhooks.create', { url: receiver.url, maxConcurrency });
    receiver.secrets.push(secret);
    return { engine: till.engine, receiver, endpoint };
  }

  it('never has more than maxConcurrency requests out at the shop, though more are claimed', async () => {
    const { engine, receiver, endpoint } = await setUp(3);
    // Over a second: waits on the lane from a second on move the attempt's start in the log.
    const DELAY = 1_200;
    const CLAIMED = 3 * CLAIM_DEPTH;
    const TOTAL = CLAIMED + 3;
    receiver.answer = () => ({ status: 204, delayMs: DELAY });
    for (let i = 0; i < TOTAL; i++) await invoiceWithEvents(engine, 1);
    await waitFor(
      () =>
        engine.store.webhookDeliveries.list({ endpointId: endpoint.id, limit: 100 }).filter((d) => d.status === 'sending')
          .length === CLAIMED,
      `${CLAIMED} claimed: three out, the others waiting on the lane`,
    );
    expect(receiver.received.length).toBeLessThanOrEqual(3);
    await waitFor(() => receiver!.accepted().length === TOTAL, `all ${TOTAL} delivered`);
    expect(mostAtOnce(receiver, DELAY)).toBe(3);
    expect(new Set(receiver.accepted().map((r) => r.event!.id)).size).toBe(TOTAL);
    await waitFor(
      () => engine.store.webhookDeliveries.list({ endpointId: endpoint.id, limit: 100 }).every((d) => d.status === 'succeeded'),
      'every delivery recorded',
    );
    // An attempt that waited for its turn on the lane starts (in the log) when it went out.
    const attempts = engine.store.db
      .prepare('SELECT started_at, finished_at FROM webhook_attempts ORDER BY started_at')
      .all() as {
      started_at: string;
      finished_at: string;
    }[];
    expect(attempts).toHaveLength(TOTAL);
    // All but three waited a whole request (1.2 s) or more on the lane; none is shown as taking that too.
    for (const attempt of attempts) {
      const span = Date.parse(attempt.finished_at) - Date.parse(attempt.started_at);
      expect(span).toBeGreaterThanOrEqual(DELAY - 50);
      expect(span).toBeLessThan(2 * DELAY);
    }
  });

  it('a 410 takes back the claims waiting on the lane: never sent, no attempt in the log, and they go out once it is enabled', async () => {
    const { engine, receiver, endpoint } = await setUp(4);
    receiver.answer = () => ({ status: 410, delayMs: 300 });
    const invoices: string[] = [];
    for (let i = 0; i < 10; i++) invoices.push(await invoiceWithEvents(engine, 1));
    await waitFor(async () => !(await engine.invoke('webhooks.list', {}))[0]!.enabled, 'the endpoint to be disabled');
    await waitFor(
      () => engine.store.webhookDeliveries.list({ endpointId: endpoint.id, limit: 100 }).every((d) => d.status !== 'sending'),
      'no claim left',
    );
    // The four that were out got their 410; the others never reached the shop.
    expect(receiver.received).toHaveLength(4);
    const deliveries = engine.store.webhookDeliveries.list({ endpointId: endpoint.id, limit: 100 });
    expect(deliveries.filter((d) => d.status === 'failed' && d.lastHttpStatus === 410 && d.attempts === 1)).toHaveLength(4);
    expect(deliveries.filter((d) => d.status === 'pending' && d.attempts === 0 && d.lastHttpStatus === null)).toHaveLength(6);
    const attempts = engine.store.db.prepare('SELECT delivery_id, attempt, error FROM webhook_attempts').all() as AttemptRow[];
    expect(attempts.map((a) => [a.attempt, a.error])).toEqual(attempts.map(() => [1, expect.stringMatching(/^HTTP 410/)]));
    expect(attempts).toHaveLength(4);

    receiver.answer = () => ({ status: 204 });
    await engine.invoke('webhooks.update', { id: endpoint.id, enabled: true });
    await waitFor(() => receiver!.accepted().length === 10, 'all ten after re-enabling');
    expect(new Set(receiver.accepted().map((r) => r.event!.data.invoice!.id))).toEqual(new Set(invoices));
  });

  it('stopping Till withdraws the claims still waiting; those out close as interrupted; a restart sends each', async () => {
    const { engine, receiver, endpoint } = await setUp(2);
    receiver.answer = () => 'hang';
    const CLAIMED = 2 * CLAIM_DEPTH;
    for (let i = 0; i < CLAIMED + 2; i++) await invoiceWithEvents(engine, 1);
    await waitFor(
      () =>
        engine.store.webhookDeliveries.list({ endpointId: endpoint.id, limit: 100 }).filter((d) => d.status === 'sending')
          .length === CLAIMED,
      'two out, the other claims waiting',
    );
    await waitFor(() => receiver!.received.length === 2, 'the two out to reach the shop');
    const dataDir = till!.dataDir;
    await engine.stop();
    till = undefined;

    const db = openDatabase({ path: databasePath(dataDir) });
    try {
      const rows = db.prepare('SELECT id, status, attempts FROM webhook_deliveries ORDER BY seq').all() as {
        id: string;
        status: string;
        attempts: number;
      }[];
      expect(rows.filter((d) => d.status === 'sending')).toHaveLength(0);
      // The two that were out: an attempt each, closed as interrupted, due again at once.
      expect(rows.filter((d) => d.status === 'failed' && d.attempts === 1)).toHaveLength(2);
      // Those that waited, and the two never claimed: as if nothing had happened.
      expect(rows.filter((d) => d.status === 'pending' && d.attempts === 0)).toHaveLength(CLAIMED);
      const attempts = db.prepare('SELECT delivery_id, attempt, error FROM webhook_attempts').all() as AttemptRow[];
      expect(attempts.map((a) => a.error)).toEqual([
        expect.stringMatching(/^interrupted:/),
        expect.stringMatching(/^interrupted:/),
      ]);
    } finally {
      db.close();
    }

    receiver.answer = () => ({ status: 204 });
    const again = await startTestEngine({ background: true, dataDir, withWallet: false, chain: false });
    try {
      await waitFor(
        () => new Set(receiver.accepted().map((r) => r.event!.id)).size === CLAIMED + 2,
        'all of them after the restart',
      );
    } finally {
      await again.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
