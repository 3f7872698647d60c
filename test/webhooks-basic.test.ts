import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from './fixtures/engine.ts';
import { startWebhookReceiver, type WebhookReceiver } from './fixtures/webhook-receiver.ts';
import { waitFor } from './fixtures/ports.ts';
import { TILL_VERSION } from '../src/main/engine/lib/version.ts';

describe('webhook delivery against a real receiver on loopback', () => {
  let till: TestEngine;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    till = await startTestEngine({ background: true });
    // No node to scan in this file: keep the scanner from hammering a closed port.
    await till.engine.invoke('chains.pause', { chainId: 31337 });
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    await till?.close();
    await receiver?.close();
  });

  it('signs and sends invoice events with the documented headers; the body carries the invoice as the API showed it', async () => {
    const { endpoint, secret } = await till.engine.invoke('webhooks.create', { url: receiver.url });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(endpoint.secrets).toHaveLength(1);
    expect(secret.endsWith(endpoint.secrets[0]!.hint.slice(1))).toBe(true);
    receiver.secrets.push(secret);

    const invoice = await till.engine.invoke('invoices.create', {
      chainId: 31337,
      token: 'native',
      amount: '0.25',
      orderId: 'o-1',
    });
    await till.engine.invoke('invoices.markPaid', { id: invoice.id, reason: 'paid in cash' });
    const paid = await till.engine.invoke('invoices.get', { id: invoice.id });

    // The receiver counts a request before it answers, and Till records the answer after it
    // reads it: wait for the log too, not only for the receiver.
    await waitFor(
      () =>
        receiver.accepted().length === 2 &&
        till.engine.store.webhookDeliveries.list({ invoiceId: invoice.id, limit: 10 }).every((d) => d.status === 'succeeded'),
      'two deliveries accepted and recorded',
    );
    const [created, marked] = receiver.accepted();
    expect(created!.event).toMatchObject({ type: 'invoice.created', sequence: 1, data: { invoice } });
    expect(marked!.event).toMatchObject({ type: 'invoice.marked_paid', sequence: 2, data: { invoice: paid } });
    expect(Object.keys(created!.event!).sort()).toEqual(['createdAt', 'data', 'id', 'sequence', 'type']);
    expect(created!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': `Till/${TILL_VERSION}`,
      'till-event-id': created!.event!.id,
      'till-event-type': 'invoice.created',
    });
    expect(created!.headers['till-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(created!.headers['till-delivery-id']).toMatch(/^whd_/);
    expect(created!.headers['till-redelivery']).toBeUndefined();

    const log = await till.engine.invoke('webhooks.deliveries', { invoiceId: invoice.id });
    expect(log.items.map((d) => [d.eventType, d.status, d.attempts])).toEqual([
      ['invoice.marked_paid', 'succeeded', 1],
      ['invoice.created', 'succeeded', 1],
    ]);
    const detail = await till.engine.invoke('webhooks.delivery', { id: log.items[1]!.id });
    expect(detail.requestBody).toBe(created!.rawBody);
    expect(detail.attemptLog).toMatchObject([{ attempt: 1, httpStatus: 204, error: null }]);
    const events = await till.engine.invoke('invoices.events', { id: invoice.id });
    expect(events.map((e) => e.deliveries.map((d) => d.status))).toEqual([['succeeded'], ['succeeded']]);
  });

  it('keeps the secret out of every file in the data dir', async () => {
    const { secret } = await till.engine.invoke('webhooks.create', { url: receiver.url });
    receiver.secrets.push(secret);
    await till.engine.invoke('invoices.create', { chainId: 31337, token: 'native', amount: '1' });
    await waitFor(() => receiver.accepted().length === 1, 'the delivery');
    await till.engine.stop();
    const files = readdirSync(till.dataDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) {
      const bytes = readFileSync(join(file.parentPath, file.name));
      expect(bytes.includes(Buffer.from(secret)), file.name).toBe(false);
      expect(bytes.includes(Buffer.from(secret.slice(6, 30))), file.name).toBe(false);
    }
  });

  it('sends nothing from before the endpoint existed, and only the event types it asked for', async () => {
    await till.engine.invoke('invoices.create', { chainId: 31337, token: 'native', amount: '1' });
    const { secret } = await till.engine.invoke('webhooks.create', { url: receiver.url, events: ['invoice.marked_paid'] });
    receiver.secrets.push(secret);
    const invoice = await till.engine.invoke('invoices.create', { chainId: 31337, token: 'native', amount: '2' });
    await till.engine.invoke('invoices.markPaid', { id: invoice.id, reason: 'cash' });
    await waitFor(() => receiver.accepted().length === 1, 'the marked_paid delivery');
    const ping = await till.engine.invoke('webhooks.ping', { id: (await till.engine.invoke('webhooks.list', {}))[0]!.id });
    expect(ping).toMatchObject({ eventType: 'ping', status: 'succeeded', attemptLog: [{ httpStatus: 204 }] });
    expect(receiver.accepted().map((r) => r.event!.type)).toEqual(['invoice.marked_paid', 'ping']);
    expect(receiver.accepted()[1]!.event).toMatchObject({ type: 'ping', sequence: 0, data: {} });
  });
});
