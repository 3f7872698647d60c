import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookDeliveryRecord } from '../src/main/engine/db/repositories/webhook-deliveries-repo.ts';
import { startTestEngine, type TestEngine } from './fixtures/engine.ts';
import { freePort } from './fixtures/ports.ts';
import { manualClock, moveClockTo, nextScheduledAttempt, settleWebhooks, invoiceWithEvents } from './fixtures/webhook-harness.ts';
import { startWebhookReceiver, type WebhookReceiver } from './fixtures/webhook-receiver.ts';

const SECOND = 1_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The documented schedule: the wait after the n-th failed attempt, before ±20 % jitter. */
const nominalWait = (failed: number) => [10 * SECOND, 60 * SECOND, 5 * 60 * SECOND, 30 * 60 * SECOND][failed - 1] ?? HOUR;
/** What the jitter seam hands out, round and round. */
const RANDOM = [0.5, 0.05, 0.95, 0.3, 0.7];
const allowedWaits = (failed: number) => RANDOM.map((r) => Math.round(nominalWait(failed) * (0.8 + 0.4 * r)));

describe('an endpoint down for two days, then up (simulated clock, real HTTP for every send)', () => {
  const clock = manualClock();
  const T0 = clock.now();
  let draws = 0;
  let till: TestEngine;
  let receiver: WebhookReceiver | undefined;
  let endpointId: string;
  const invoices: Record<'a' | 'b' | 'x' | 'd', string> = { a: '', b: '', x: '', d: '' };
  let steps = 0;

  beforeAll(async () => {
    till = await startTestEngine({ background: true, clock, webhooks: { random: () => RANDOM[draws++ % RANDOM.length]! } });
    await till.engine.invoke('chains.pause', { chainId: 31337 });
    // Day 0–1 the shop's server is off (connection refused); day 1–2 it is up but answers 503;
    // from day 2 it takes everything except invoice X, which it keeps refusing with 503.
    const port = await freePort();
    const created = await till.engine.invoke('webhooks.create', { url: `http://127.0.0.1:${port}/till` });
    endpointId = created.endpoint.id;
    invoices.a = await invoiceWithEvents(till.engine, 3);
    invoices.b = await invoiceWithEvents(till.engine, 3);
    invoices.x = await invoiceWithEvents(till.engine, 3);

    let phase: 'refused' | 'unavailable' | 'up' = 'refused';
    for (; steps < 1_000; steps++) {
      await settleWebhooks(till.engine, clock);
      const next = nextScheduledAttempt(till.engine, clock);
      if (next === null) break;
      if (!invoices.d && next > T0 + 20 * HOUR) {
        // A payment in the middle of the outage: its events queue behind nothing but each other.
        clock.set(T0 + 20 * HOUR);
        invoices.d = await invoiceWithEvents(till.engine, 2);
        continue;
      }
      if (phase === 'refused' && next >= T0 + DAY) {
        receiver = await startWebhookReceiver({ port, secrets: [created.secret], now: clock.now });
        receiver.answer = () => ({ status: 503, body: 'down for maintenance' });
        phase = 'unavailable';
      }
      if (phase === 'unavailable' && next >= T0 + 2 * DAY) {
        receiver!.answer = ({ event }) => (event?.data.invoice?.id === invoices.x ? { status: 503 } : { status: 204 });
        phase = 'up';
      }
      await moveClockTo(till.engine, clock, next);
    }
  }, 120_000);
  afterAll(async () => {
    await till?.close();
    await receiver?.close();
  });

  const deliveriesOf = (invoiceId: string): WebhookDeliveryRecord[] => till.engine.store.webhookDeliveries.forInvoice(invoiceId);
  const eventIdsOf = (invoiceId: string) => till.engine.store.events.listForInvoice(invoiceId).map((event) => event.id);
  const requestsFor = (invoiceId: string) => receiver!.received.filter((r) => r.event?.data.invoice?.id === invoiceId);

  it('every event arrives exactly once, accepted, per invoice in sequence order', () => {
    expect(steps).toBeLessThan(1_000);
    expect(clock.now() - T0).toBeGreaterThan(2 * DAY);
    for (const invoiceId of [invoices.a, invoices.b, invoices.d]) {
      const accepted = receiver!.accepted().filter((r) => r.event!.data.invoice?.id === invoiceId);
      expect(accepted.map((r) => r.event!.id)).toEqual(eventIdsOf(invoiceId));
      expect(accepted.map((r) => r.event!.sequence)).toEqual(invoiceId === invoices.d ? [1, 2] : [1, 2, 3]);
      expect(deliveriesOf(invoiceId).map((d) => d.status)).toEqual(accepted.map(() => 'succeeded'));
    }
    expect(receiver!.received.every((r) => r.verifyError === null)).toBe(true);
  });

  it('an invoice’s later events are not sent while an earlier one is still failing', () => {
    for (const invoiceId of Object.values(invoices)) {
      // Everything that reached the receiver (503s included) comes in non-decreasing sequence.
      const sequences = requestsFor(invoiceId).map((r) => r.event!.sequence);
      expect(sequences.length).toBeGreaterThan(1);
      expect(sequences).toEqual([...sequences].sort((x, y) => x - y));
      const [head, ...later] = deliveriesOf(invoiceId);
      if (invoiceId === invoices.x) continue;
      // The later ones waited, untried, and went out once, right after the first got through.
      for (const delivery of later) {
        const [attempt, ...more] = till.engine.store.webhookAttempts.list(delivery.id);
        expect(more).toEqual([]);
        expect(attempt!.startedAt >= head!.completedAt!).toBe(true);
      }
    }
  });

  it('attempt start times follow 10 s, 1 min, 5 min, 30 min, then hourly, each within ±20 % jitter', () => {
    const ratios = new Set<number>();
    for (const invoiceId of Object.values(invoices)) {
      const head = deliveriesOf(invoiceId)[0]!;
      const attempts = till.engine.store.webhookAttempts.list(head.id);
      const starts = attempts.map((attempt) => Date.parse(attempt.startedAt));
      // The first attempt goes out when the event is written, not after a delay.
      expect(starts[0]).toBe(Date.parse(head.createdAt));
      for (let failed = 1; failed < starts.length; failed++) {
        const wait = starts[failed]! - starts[failed - 1]!;
        expect(allowedWaits(failed), `${invoiceId} attempt ${failed + 1}`).toContain(wait);
        ratios.add(Math.round((wait / nominalWait(failed)) * 100));
      }
      for (const attempt of attempts) {
        const at = Date.parse(attempt.startedAt) - T0;
        if (at < DAY) expect(attempt).toMatchObject({ httpStatus: null, error: expect.stringMatching(/ECONNREFUSED/) });
        else if (at < 2 * DAY || invoiceId === invoices.x)
          expect(attempt).toMatchObject({ httpStatus: 503, error: 'HTTP 503 Service Unavailable' });
      }
      if (invoiceId !== invoices.x) expect(attempts.at(-1)).toMatchObject({ httpStatus: 204, error: null });
    }
    // Starting at day 0, the invoices created then were tried about 52 times before day 2.
    expect(till.engine.store.webhookAttempts.list(deliveriesOf(invoices.a)[0]!.id).length).toBeGreaterThan(45);
    // The jitter really moved the times (the seam hands out five values: 0.82, 0.92, 1, 1.08, 1.18).
    expect(ratios.size).toBeGreaterThan(3);
  });

  it('past three days a delivery is dead, and a webhook_dead alert says so once', async () => {
    const [head] = deliveriesOf(invoices.x);
    expect(deliveriesOf(invoices.x).map((d) => d.status)).toEqual(['dead', 'dead', 'dead']);
    const starts = till.engine.store.webhookAttempts.list(head!.id).map((attempt) => Date.parse(attempt.startedAt));
    const created = Date.parse(head!.createdAt);
    // Tried to the end of the window: the next hourly attempt would have fallen past it.
    expect(starts.at(-1)! - created).toBeLessThanOrEqual(3 * DAY);
    expect(starts.at(-1)! + 1.18 * HOUR - created).toBeGreaterThan(3 * DAY);
    expect(Date.parse(head!.completedAt!)).toBe(starts.at(-1));
    expect(receiver!.accepted().filter((r) => r.event!.data.invoice?.id === invoices.x)).toEqual([]);
    const alerts = (await till.engine.invoke('alerts.list', {})).filter((alert) => alert.type === 'webhook_dead');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'critical', details: { endpointId } });
    const [endpoint] = await till.engine.invoke('webhooks.list', {});
    expect(endpoint!.health).toMatchObject({ undelivered: 0, dead: 3 });
  });
});
