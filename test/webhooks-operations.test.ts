import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyTillWebhook } from '../examples/webhooks/verify-till-signature.mjs';
import { systemClock } from '../src/main/engine/lib/clock.ts';
import { startTestEngine, type TestEngine } from './fixtures/engine.ts';
import { waitFor } from './fixtures/ports.ts';
import {
  invoiceWithEvents,
  manualClock,
  moveClockTo,
  nextScheduledAttempt,
  settleWebhooks,
  type ManualClock,
} from './fixtures/webhook-harness.ts';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from './fixtures/webhook-receiver.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const invoiceOf = (r: ReceivedWebhook) => r.event?.data.invoice?.id;
const acceptedSequences = (receiver: WebhookReceiver, invoiceId: string) =>
  receiver
    .accepted()
    .filter((r) => invoiceOf(r) === invoiceId)
    .map((r) => r.event!.sequence);

/** A test engine with no chain to scan, a receiver and an endpoint pointing at it. */
async function setUp(options: { clock?: ManualClock } = {}) {
  const till = await startTestEngine({ background: true, clock: options.clock, webhooks: { random: () => 0.5 } });
  await till.engine.invoke('chains.pause', { chainId: 31337 });
  const clock = options.clock ?? systemClock;
  const receiver = await startWebhookReceiver({ now: clock.now });
  const { endpoint, secret } = await till.engine.invoke('webhooks.create', { url: receiver.url });
  receiver.secrets.push(secret);
  return { till, engine: till.engine, receiver, endpoint, secret };
}

describe('webhook operations', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  const track = <T extends { till: TestEngine; receiver: WebhookReceiver }>(setup: T): T => {
    closers.push(
      () => setup.receiver.close(),
      () => setup.till.close(),
    );
    return setup;
  };

  it('410 Gone disables the endpoint with an alert; its deliveries wait and go out in order once it is enabled', async () => {
    const { engine, receiver, endpoint } = track(await setUp());
    // A second endpoint as a witness: each look of the dispatcher covers both.
    const witness = await startWebhookReceiver();
    closers.push(() => witness.close());
    witness.secrets.push((await engine.invoke('webhooks.create', { url: witness.url })).secret);
    receiver.answer = () => ({ status: 410, body: 'this shop moved' });

    const first = await invoiceWithEvents(engine, 2);
    await waitFor(async () => !(await engine.invoke('webhooks.list', {}))[0]!.enabled, 'the endpoint to be disabled');
    const [gone] = await engine.invoke('webhooks.list', {});
    expect(gone).toMatchObject({ id: endpoint.id, enabled: false, disabledReason: expect.stringMatching(/410 Gone/) });
    const alerts = (await engine.invoke('alerts.list', {})).filter((alert) => alert.type === 'webhook_endpoint_gone');
    expect(alerts).toEqual([
      expect.objectContaining({ severity: 'warning', details: expect.objectContaining({ endpointId: endpoint.id }) }),
    ]);

    // While disabled, new events still queue for it but nothing is sent there.
    const second = await invoiceWithEvents(engine, 2);
    await waitFor(() => witness.accepted().length === 4, 'the witness endpoint to get all four events');
    expect(receiver.received).toHaveLength(1);
    const waiting = engine.store.webhookDeliveries.list({ endpointId: endpoint.id, limit: 10 }).reverse();
    expect(waiting.map((d) => [d.status, d.attempts, d.lastHttpStatus])).toEqual([
      ['failed', 1, 410],
      ['pending', 0, null],
      ['pending', 0, null],
      ['pending', 0, null],
    ]);

    receiver.answer = () => ({ status: 204 });
    await engine.invoke('webhooks.update', { id: endpoint.id, enabled: true });
    await waitFor(() => receiver.accepted().length === 4, 'the waiting deliveries after re-enabling');
    expect(acceptedSequences(receiver, first)).toEqual([1, 2]);
    expect(acceptedSequences(receiver, second)).toEqual([1, 2]);
    expect((await engine.invoke('webhooks.list', {}))[0]).toMatchObject({ enabled: true, disabledReason: null });
  });

  describe('redelivery and ping', () => {
    let setup: Awaited<ReturnType<typeof setUp>>;
    let other: WebhookReceiver;
    let otherId: string;
    let invoiceId: string;
    beforeAll(async () => {
      setup = await setUp();
      other = await startWebhookReceiver();
      const created = await setup.engine.invoke('webhooks.create', { url: other.url });
      other.secrets.push(created.secret);
      otherId = created.endpoint.id;
      invoiceId = await invoiceWithEvents(setup.engine, 2);
      await waitFor(() => setup.receiver.accepted().length === 2 && other.accepted().length === 2, 'both endpoints');
    });
    afterAll(async () => {
      await setup?.till.close();
      await setup?.receiver.close();
      await other?.close();
    });

    it('of one delivery: a new delivery id, Till-Redelivery: true, the same event id and body', async () => {
      const { engine, receiver, endpoint } = setup;
      const [original] = engine.store.webhookDeliveries.forInvoice(invoiceId).filter((d) => d.endpointId === endpoint.id);
      const before = receiver.received.length;
      const fresh = await engine.invoke('webhooks.redeliver', { deliveryId: original!.id });
      expect(fresh).toMatchObject({ eventId: original!.eventId, redelivery: true, status: 'succeeded', attempts: 1 });
      expect(fresh.id).not.toBe(original!.id);
      const [sent] = receiver.received.slice(before);
      expect(receiver.received).toHaveLength(before + 1);
      expect(sent!.headers).toMatchObject({
        'till-redelivery': 'true',
        'till-delivery-id': fresh.id,
        'till-event-id': original!.eventId,
      });
      expect(sent!.rawBody).toBe(receiver.received.find((r) => r.headers['till-delivery-id'] === original!.id)!.rawBody);
      // The original stays as it was; the other endpoint got nothing.
      expect(engine.store.webhookDeliveries.get(original!.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
      expect(other.received).toHaveLength(2);
    });

    it('of one event: a new delivery to every endpoint it went to', async () => {
      const { engine, receiver, endpoint } = setup;
      const event = engine.store.events.listForInvoice(invoiceId)[1]!;
      const fresh = await engine.invoke('webhooks.redeliverEvent', { eventId: event.id });
      expect(fresh.map((d) => d.endpointId).sort()).toEqual([endpoint.id, otherId].sort());
      expect(fresh.every((d) => d.eventId === event.id && d.redelivery)).toBe(true);
      for (const target of [receiver, other])
        await waitFor(
          () => target.accepted().find((r) => r.headers['till-redelivery'] === 'true' && r.event!.id === event.id),
          'the redelivered event',
        );
      expect(other.accepted().map((r) => r.event!.id)).toEqual([
        ...engine.store.events.listForInvoice(invoiceId).map((e) => e.id),
        event.id,
      ]);
    });

    it('ping: a signed ping event to one endpoint only, answered with the attempt', async () => {
      const { engine, receiver, endpoint } = setup;
      const before = other.received.length;
      const ping = await engine.invoke('webhooks.ping', { id: endpoint.id });
      expect(ping).toMatchObject({
        eventType: 'ping',
        invoiceId: null,
        status: 'succeeded',
        attemptLog: [{ attempt: 1, httpStatus: 204 }],
      });
      expect(receiver.accepted().at(-1)!.event).toMatchObject({ id: ping.eventId, type: 'ping', data: {} });
      expect(receiver.accepted().at(-1)!.headers).toMatchObject({ 'till-event-type': 'ping', 'till-delivery-id': ping.id });
      expect(other.received).toHaveLength(before);
      // A ping to an endpoint that fails says so.
      other.answer = () => ({ status: 500, body: 'oops' });
      const failed = await engine.invoke('webhooks.ping', { id: otherId });
      expect(failed).toMatchObject({
        status: 'failed',
        lastHttpStatus: 500,
        // Tried once: a ping is a check of the endpoint now, not an event to deliver for days.
        nextAttemptAt: null,
        attemptLog: [{ httpStatus: 500, responseBody: 'oops' }],
      });
      const [otherEndpoint] = (await engine.invoke('webhooks.list', {})).filter((e) => e.id === otherId);
      expect(otherEndpoint!.health).toMatchObject({ undelivered: 0, oldestUndeliveredAt: null });
      // Nor does "resend failed since" pick it up.
      expect(await engine.invoke('webhooks.redeliverFailed', { since: '2000-01-01T00:00:00Z', endpointId: otherId })).toEqual({
        queued: 0,
      });
    });
  });

  it('resending a failing first event keeps the invoice’s order: its later events wait for the resend', async () => {
    const clock = manualClock();
    const { engine, receiver } = track(await setUp({ clock }));
    let fail = true;
    let invoiceId = '';
    receiver.answer = ({ event }) => (fail && event?.data.invoice?.id === invoiceId ? { status: 503 } : { status: 204 });
    const failThenResend = async (resend: (headDeliveryId: string) => Promise<unknown>) => {
      fail = true;
      invoiceId = await invoiceWithEvents(engine, 3);
      await settleWebhooks(engine, clock);
      const [head] = engine.store.webhookDeliveries.forInvoice(invoiceId);
      expect(engine.store.webhookDeliveries.forInvoice(invoiceId).map((d) => d.status)).toEqual(['failed', 'pending', 'pending']);
      fail = false;
      await resend(head!.id);
      await settleWebhooks(engine, clock);
      expect(acceptedSequences(receiver, invoiceId)).toEqual([1, 2, 3]);
      expect(engine.store.webhookDeliveries.forInvoice(invoiceId).map((d) => [d.sequence, d.redelivery, d.status])).toEqual([
        [1, false, 'superseded'],
        [1, true, 'succeeded'],
        [2, false, 'succeeded'],
        [3, false, 'succeeded'],
      ]);
    };
    // Resend failed since… (the dispatcher sends it) and the Resend button on the failed delivery (sent at once).
    const since = new Date(clock.now()).toISOString();
    await failThenResend(async () => expect(await engine.invoke('webhooks.redeliverFailed', { since })).toEqual({ queued: 1 }));
    await failThenResend((deliveryId) => engine.invoke('webhooks.redeliver', { deliveryId }));
  });

  it('bulk redelivery of failed and dead deliveries since T: only those since T, not ones delivered since', async () => {
    const clock = manualClock();
    const { engine, receiver, endpoint } = track(await setUp({ clock }));
    const failing = new Set<string>();
    receiver.answer = ({ event }) => (failing.has(event?.data.invoice?.id ?? '') ? { status: 500 } : { status: 204 });
    const make = async (fails: boolean) => {
      const invoice = await engine.invoke('invoices.create', {
        chainId: 31337,
        token: 'native',
        amount: '1',
        expiresInSeconds: 30 * 86_400,
      });
      if (fails) failing.add(invoice.id);
      return invoice.id;
    };
    const deliveryOf = (invoiceId: string) => engine.store.webhookDeliveries.forInvoice(invoiceId);

    const old = await make(true);
    await settleWebhooks(engine, clock);
    clock.advance(60_000);
    const since = new Date(clock.now()).toISOString();
    clock.advance(1_000);
    const dies = await make(true);
    const diesButResent = await make(true);
    const delivered = await make(false);
    const deliveredOnRetry = await make(true);
    await settleWebhooks(engine, clock);
    failing.delete(deliveredOnRetry);
    await moveClockTo(engine, clock, nextScheduledAttempt(engine, clock)!);
    expect(deliveryOf(deliveredOnRetry)).toMatchObject([{ status: 'succeeded', attempts: 2 }]);

    // Three days later every delivery still failing is given up (dead), with an alert.
    await moveClockTo(engine, clock, clock.now() + 3 * DAY + 2 * HOUR);
    for (const invoiceId of [old, dies, diesButResent]) expect(deliveryOf(invoiceId)).toMatchObject([{ status: 'dead' }]);
    expect((await engine.invoke('alerts.list', {})).map((alert) => alert.type)).toContain('webhook_dead');
    failing.delete(diesButResent);
    await engine.invoke('webhooks.redeliver', { deliveryId: deliveryOf(diesButResent)[0]!.id });
    const stillFailing = await make(true);
    await settleWebhooks(engine, clock);
    expect(deliveryOf(stillFailing)).toMatchObject([{ status: 'failed' }]);

    // Since T: the dead one and the failing one; not the old one, nor anything delivered.
    expect(await engine.invoke('webhooks.redeliverFailed', { since })).toEqual({ queued: 2 });
    await settleWebhooks(engine, clock);
    const resent = () =>
      engine.store.webhookDeliveries
        .list({ endpointId: endpoint.id, limit: 100 })
        .filter((d) => d.redelivery && d.invoiceId !== diesButResent)
        .map((d) => d.invoiceId);
    expect(resent().sort()).toEqual([dies, stillFailing].sort());
    expect(deliveryOf(stillFailing).map((d) => d.status)).toEqual(['superseded', 'failed']);

    // Those resends die too; the next bulk resend queues one delivery per event, not one per dead row.
    await moveClockTo(engine, clock, clock.now() + 3 * DAY + 2 * HOUR);
    failing.clear();
    const before = receiver.accepted().length;
    expect(await engine.invoke('webhooks.redeliverFailed', { since })).toEqual({ queued: 2 });
    await settleWebhooks(engine, clock);
    const got = receiver.accepted().slice(before);
    expect(got.map((r) => invoiceOf(r)).sort()).toEqual([dies, stillFailing].sort());
    expect(got.every((r) => r.headers['till-redelivery'] === 'true')).toBe(true);
    expect(await engine.invoke('webhooks.redeliverFailed', { since })).toEqual({ queued: 0 });
    // The old one, from before T, was never resent, nor were the delivered ones.
    expect(deliveryOf(old)).toMatchObject([{ status: 'dead', redelivery: false }]);
    for (const invoiceId of [delivered, deliveredOnRetry])
      expect(deliveryOf(invoiceId)).toMatchObject([{ status: 'succeeded', redelivery: false }]);
    expect(deliveryOf(delivered)).toHaveLength(1);
    expect(deliveryOf(deliveredOnRetry)).toHaveLength(1);
  });

  it('secret rotation: during the overlap either secret verifies; after it only the new one; tampering and staleness are caught', async () => {
    const clock = manualClock();
    const { engine, receiver, endpoint, secret: oldSecret } = track(await setUp({ clock }));
    await engine.invoke('webhooks.update', { id: endpoint.id, events: ['invoice.created'] });
    const invoice = () => engine.invoke('invoices.create', { chainId: 31337, token: 'native', amount: '1' });
    const { secret: newSecret, endpoint: rotated } = await engine.invoke('webhooks.rotateSecret', { id: endpoint.id });
    expect(newSecret).not.toBe(oldSecret);
    expect(rotated.secrets.map((s) => s.expiresAt)).toEqual([null, new Date(clock.now() + DAY).toISOString()]);

    // During the overlap: two v1=, and a shop holding either secret accepts the same request.
    receiver.secrets.splice(0, 1, oldSecret);
    await invoice();
    await waitFor(() => receiver.accepted().length === 1, 'a delivery verified with the old secret');
    const during = receiver.accepted()[0]!;
    expect(during.headers['till-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    const verify = (request: ReceivedWebhook, secret: string, now = clock.now()) =>
      verifyTillWebhook(request.rawBody, request.headers['till-signature'], secret, { now });
    expect(verify(during, oldSecret)).toMatchObject({ type: 'invoice.created' });
    expect(verify(during, newSecret)).toMatchObject({ type: 'invoice.created' });
    receiver.secrets.splice(0, 1, newSecret);
    await invoice();
    await waitFor(() => receiver.accepted().length === 2, 'a delivery verified with the new secret');

    // The helper refuses a tampered body and a request replayed more than 5 minutes later.
    expect(() =>
      verifyTillWebhook(during.rawBody.replace('"sequence":1', '"sequence":7'), during.headers['till-signature'], newSecret, {
        now: clock.now(),
      }),
    ).toThrow('does not match');
    const t = Number(/^t=(\d+)/.exec(during.headers['till-signature']!)![1]);
    expect(verify(during, newSecret, t * 1000 + 300_000)).toMatchObject({ id: during.event!.id });
    expect(() => verify(during, newSecret, t * 1000 + 301_000)).toThrow('too old or in the future');

    // After the overlap: one v1=, under the new secret only; a shop still on the old one rejects it.
    await moveClockTo(engine, clock, clock.now() + DAY + 1_000);
    expect((await engine.invoke('webhooks.list', {}))[0]!.secrets).toHaveLength(1);
    await invoice();
    await waitFor(() => receiver.accepted().length === 3, 'a delivery after the overlap');
    const after = receiver.accepted()[2]!;
    expect(after.headers['till-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verify(after, newSecret)).toMatchObject({ type: 'invoice.created' });
    expect(() => verify(after, oldSecret)).toThrow('does not match');
    receiver.secrets.splice(0, 1, oldSecret);
    const rejected = await invoice();
    await settleWebhooks(engine, clock);
    expect(receiver.received.at(-1)).toMatchObject({ status: 400, verifyError: 'Till-Signature does not match' });
    expect(engine.store.webhookDeliveries.forInvoice(rejected.id)).toMatchObject([{ status: 'failed', lastHttpStatus: 400 }]);
  });
});
