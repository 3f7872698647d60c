import { afterEach, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from './fixtures/engine.ts';
import { waitFor } from './fixtures/ports.ts';
import { manualClock, moveClockTo, nextScheduledAttempt, settleWebhooks, invoiceWithEvents } from './fixtures/webhook-harness.ts';
import { startWebhookReceiver, type WebhookReceiver } from './fixtures/webhook-receiver.ts';

const invoiceOf = (r: WebhookReceiver['received'][number]) => r.event?.data.invoice?.id;
/** The sequences a receiver accepted for one invoice, in arrival order. */
const acceptedSequences = (receiver: WebhookReceiver, invoiceId: string) =>
  receiver
    .accepted()
    .filter((r) => invoiceOf(r) === invoiceId)
    .map((r) => r.event!.sequence);

describe('no head-of-line blocking', () => {
  let till: TestEngine | undefined;
  const receivers: WebhookReceiver[] = [];
  afterEach(async () => {
    await till?.close();
    for (const receiver of receivers.splice(0)) await receiver.close();
  });

  it('an endpoint that never answers (timeouts) does not delay deliveries to another endpoint', async () => {
    // Long enough that the healthy endpoint has everything before the first timeout, short
    // enough to see the timeouts happen: the test asserts on what happened first, not on durations.
    // (3 s was sometimes too short with the whole suite sharing two cores.)
    till = await startTestEngine({ background: true, webhooks: { timeoutMs: 6_000 } });
    const { engine } = till;
    await engine.invoke('chains.pause', { chainId: 31337 });
    const slow = await startWebhookReceiver();
    const healthy = await startWebhookReceiver();
    receivers.push(slow, healthy);
    slow.answer = () => 'hang';
    // The slow endpoint first: the dispatcher meets it first on every look.
    const slowHook = await engine.invoke('webhooks.create', { url: slow.url });
    const healthyHook = await engine.invoke('webhooks.create', { url: healthy.url });
    slow.secrets.push(slowHook.secret);
    healthy.secrets.push(healthyHook.secret);

    const invoices: string[] = [];
    for (let i = 0; i < 8; i++) invoices.push(await invoiceWithEvents(engine, 2));
    // The receiver counts a request before it answers, and Till records the answer after it
    // reads it: wait for the log too, not only for the receiver.
    await waitFor(
      () =>
        healthy.accepted().length === 16 &&
        engine.store.webhookDeliveries
          .list({ endpointId: healthyHook.endpoint.id, limit: 100 })
          .every((d) => d.status === 'succeeded'),
      'all 16 deliveries to the healthy endpoint, recorded',
    );

    // At that point the slow endpoint's first four requests are all still out, and nothing else
    // reached it: four more are claimed (on disk, `sending`) and wait on its lane for a free slot.
    const slowDeliveries = engine.store.webhookDeliveries.list({ endpointId: slowHook.endpoint.id, limit: 100 });
    expect(slow.received).toHaveLength(4);
    expect(slow.received.filter((r) => r.status === 'hang')).toHaveLength(4);
    expect(slowDeliveries.filter((d) => d.status === 'sending')).toHaveLength(8);
    expect(slowDeliveries.filter((d) => d.attempts > 0)).toHaveLength(8);
    for (const invoiceId of invoices) expect(acceptedSequences(healthy, invoiceId)).toEqual([1, 2]);
    const healthyDeliveries = engine.store.webhookDeliveries.list({ endpointId: healthyHook.endpoint.id, limit: 100 });
    expect(healthyDeliveries.map((d) => [d.status, d.attempts])).toEqual(healthyDeliveries.map(() => ['succeeded', 1]));

    // Then the slow endpoint's attempts time out, are scheduled again, and its next four go out.
    await waitFor(() => slow.received.length >= 8, 'the slow endpoint’s next attempts after the timeouts');
    const timedOut = engine.store.webhookDeliveries
      .list({ endpointId: slowHook.endpoint.id, limit: 100 })
      .filter((d) => d.status === 'failed');
    expect(timedOut.length).toBeGreaterThanOrEqual(4);
    for (const delivery of timedOut) {
      expect(delivery).toMatchObject({ sequence: 1, lastHttpStatus: null, lastError: expect.stringMatching(/timeout/) });
      expect(Date.parse(delivery.nextAttemptAt!)).toBeGreaterThan(Date.now());
    }
    expect(healthy.received).toHaveLength(16);
  });

  it('one invoice whose deliveries keep failing holds back only its own later events, which then go in order', async () => {
    const clock = manualClock();
    till = await startTestEngine({ background: true, clock, webhooks: { random: () => 0.5 } });
    const { engine } = till;
    await engine.invoke('chains.pause', { chainId: 31337 });
    const receiver = await startWebhookReceiver({ now: clock.now });
    receivers.push(receiver);
    const hook = await engine.invoke('webhooks.create', { url: receiver.url });
    receiver.secrets.push(hook.secret);
    let a = '';
    let aFails = true;
    receiver.answer = ({ event }) =>
      aFails && event?.data.invoice?.id === a ? { status: 500, body: 'order table locked' } : { status: 204 };

    // A first, so its deliveries are the oldest on the endpoint.
    a = await invoiceWithEvents(engine, 3);
    const others = [await invoiceWithEvents(engine, 3), await invoiceWithEvents(engine, 3)];
    await settleWebhooks(engine, clock);
    for (const invoiceId of others) expect(acceptedSequences(receiver, invoiceId)).toEqual([1, 2, 3]);
    const aDeliveries = () => engine.store.webhookDeliveries.forInvoice(a);
    expect(aDeliveries().map((d) => [d.sequence, d.status, d.attempts])).toEqual([
      [1, 'failed', 1],
      [2, 'pending', 0],
      [3, 'pending', 0],
    ]);

    // Its retry fails again; an invoice made meanwhile is delivered at once, without the clock moving.
    await moveClockTo(engine, clock, nextScheduledAttempt(engine, clock)!);
    expect(aDeliveries()[0]).toMatchObject({ status: 'failed', attempts: 2, lastHttpStatus: 500 });
    const later = await invoiceWithEvents(engine, 2);
    const madeAt = clock.now();
    await settleWebhooks(engine, clock);
    expect(acceptedSequences(receiver, later)).toEqual([1, 2]);
    for (const delivery of engine.store.webhookDeliveries.forInvoice(later))
      expect(engine.store.webhookAttempts.list(delivery.id).map((a) => Date.parse(a.startedAt))).toEqual([madeAt]);
    expect(aDeliveries().map((d) => d.status)).toEqual(['failed', 'pending', 'pending']);
    expect(receiver.received.filter((r) => invoiceOf(r) === a).map((r) => r.event!.sequence)).toEqual([1, 1]);

    // The shop fixes it: at the next scheduled attempt A's events go out, in sequence order, once each.
    aFails = false;
    await moveClockTo(engine, clock, nextScheduledAttempt(engine, clock)!);
    expect(acceptedSequences(receiver, a)).toEqual([1, 2, 3]);
    expect(aDeliveries().map((d) => [d.status, d.attempts])).toEqual([
      ['succeeded', 3],
      ['succeeded', 1],
      ['succeeded', 1],
    ]);
    expect(
      receiver
        .accepted()
        .slice(-3)
        .map((r) => invoiceOf(r)),
    ).toEqual([a, a, a]);
    expect(receiver.accepted()).toHaveLength(11);
  });
});
