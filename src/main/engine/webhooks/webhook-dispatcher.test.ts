import { afterEach, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../../../../test/fixtures/engine.ts';
import { waitFor } from '../../../../test/fixtures/ports.ts';
import { invoiceWithEvents, manualClock, settleWebhooks, until } from '../../../../test/fixtures/webhook-harness.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../../../test/fixtures/webhook-receiver.ts';
import { systemClock } from '../lib/clock.ts';
import { ATTEMPT_LEASE_MS } from './attempt-delivery.ts';

interface AttemptRow {
  deliveryId: string;
  attempt: number;
  startedAt: string;
  finishedAt: string | null;
  httpStatus: number | null;
  responseBody: string | null;
  error: string | null;
  invoiceId: string;
  sequence: number;
}

function attemptRows(till: TestEngine): AttemptRow[] {
  return till.engine.store.db
    .prepare(
      `SELECT a.delivery_id AS deliveryId, a.attempt, a.started_at AS startedAt, a.finished_at AS finishedAt,
              a.http_status AS httpStatus, a.response_body AS responseBody, a.error, d.invoice_id AS invoiceId, d.sequence
       FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id ORDER BY a.started_at, a.attempt`,
    )
    .all() as AttemptRow[];
}

describe('webhook dispatcher: claims and results written in groups', () => {
  let till: TestEngine | undefined;
  const receivers: WebhookReceiver[] = [];
  afterEach(async () => {
    await till?.close();
    till = undefined;
    for (const receiver of receivers.splice(0)) await receiver.close();
  });

  it('answers that arrive together are each recorded, and an invoice’s next event goes only after its result is on disk', async () => {
    till = await startTestEngine({ background: true });
    const { engine } = till;
    await engine.invoke('chains.pause', { chainId: 31337 });
    const receiver = await startWebhookReceiver();
    receivers.push(receiver);
    const hook = await engine.invoke('webhooks.create', { url: receiver.url, maxConcurrency: 8 });
    receiver.secrets.push(hook.secret);
    // The first eight requests are held and answered in the same instant (one timer each, all due
    // at the same moment), so their answers reach Till together; later ones at once.
    let releaseAt = 0;
    receiver.answer = () => {
      if (receiver.received.length >= 8) return { status: 200, body: 'ok' };
      releaseAt ||= Date.now() + 300;
      return { status: 200, body: 'ok', delayMs: Math.max(1, releaseAt - Date.now()) };
    };

    const invoices: string[] = [];
    for (let i = 0; i < 8; i++) invoices.push(await invoiceWithEvents(engine, 2));
    await waitFor(() => receiver.accepted().length === 16, 'all 16 deliveries at the receiver');
    await settleWebhooks(engine, systemClock);

    const attempts = attemptRows(till);
    expect(attempts).toHaveLength(16);
    for (const attempt of attempts)
      expect(attempt).toMatchObject({
        attempt: 1,
        finishedAt: expect.any(String),
        httpStatus: 200,
        responseBody: 'ok',
        error: null,
      });
    const deliveries = engine.store.webhookDeliveries.list({ endpointId: hook.endpoint.id, limit: 100 });
    expect(deliveries.map((d) => [d.status, d.attempts, d.lastHttpStatus])).toEqual(deliveries.map(() => ['succeeded', 1, 200]));
    // Order: each invoice's second event started no earlier than its first one's result was written.
    for (const invoiceId of invoices) {
      const [first, second] = attempts.filter((a) => a.invoiceId === invoiceId).sort((a, b) => a.sequence - b.sequence);
      expect(Date.parse(second!.startedAt)).toBeGreaterThanOrEqual(Date.parse(first!.finishedAt!));
    }
  });

  it('an answer whose result never reached the disk (the process died before the group commit) is sent again when its lease ends', async () => {
    const clock = manualClock();
    till = await startTestEngine({ background: true, clock });
    const { engine } = till;
    await engine.invoke('chains.pause', { chainId: 31337 });
    const receiver = await startWebhookReceiver({ now: clock.now });
    receivers.push(receiver);
    const hook = await engine.invoke('webhooks.create', { url: receiver.url });
    receiver.secrets.push(hook.secret);

    // From the first answer on, every write fails, as if the process had died right after the
    // receiver answered and before the commit that records it.
    let down = false;
    let failedWrites = 0;
    const { write } = engine.store;
    engine.store.write = (fn) => {
      if (down) {
        failedWrites++;
        throw new Error('simulated crash: the process is gone');
      }
      return write(fn);
    };
    receiver.answer = () => {
      down = true;
      return { status: 204 };
    };
    await invoiceWithEvents(engine, 1);
    await until(() => failedWrites >= 1, 'the result’s commit to fail');

    // What a restarted process finds: the delivery out under its lease, its attempt started, not finished.
    const [delivery] = engine.store.webhookDeliveries.list({ endpointId: hook.endpoint.id, limit: 10 });
    expect(delivery).toMatchObject({ status: 'sending', attempts: 1 });
    expect(attemptRows(till)).toMatchObject([{ attempt: 1, finishedAt: null, httpStatus: null }]);
    expect(receiver.received).toHaveLength(1);

    // Once the lease ends, the attempt is closed as interrupted and made again.
    down = false;
    receiver.answer = () => ({ status: 204 });
    clock.advance(ATTEMPT_LEASE_MS);
    await settleWebhooks(engine, clock);

    expect(receiver.accepted().map((r) => r.event!.id)).toEqual([
      receiver.received[0]!.event!.id,
      receiver.received[0]!.event!.id,
    ]);
    expect(attemptRows(till)).toMatchObject([
      { attempt: 1, finishedAt: expect.any(String), httpStatus: null, error: expect.stringMatching(/^interrupted:/) },
      { attempt: 2, finishedAt: expect.any(String), httpStatus: 204, error: null },
    ]);
    expect(engine.store.webhookDeliveries.get(delivery!.id)).toMatchObject({ status: 'succeeded', attempts: 2 });
  });
});
