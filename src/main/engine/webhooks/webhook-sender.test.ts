import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyTillWebhook } from '../../../../examples/webhooks/verify-till-signature.mjs';
import { NOT_SENT } from './send-lanes.ts';
import { createWebhookSender, SenderStoppedError, sendOne, type SendJob, type WebhookSender } from './webhook-sender.ts';

// The dispatcher's sender as till serve runs it: a real worker thread posting to a real HTTP
// server on loopback.
describe('webhook sender on its worker thread', () => {
  let server: Server | undefined;
  let sender: WebhookSender | undefined;
  afterEach(async () => {
    await sender?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = sender = undefined;
  });

  /** A shop that answers 204 after `delayMs` (never, for 'hang'), noting bodies, headers and how many it had open at once. */
  async function shop(delayMs: number | 'hang') {
    const seen = { requests: [] as { body: string; signature: string }[], open: 0, mostOpen: 0 };
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        seen.requests.push({ body, signature: String(request.headers['till-signature']) });
        seen.open++;
        seen.mostOpen = Math.max(seen.mostOpen, seen.open);
        if (delayMs === 'hang') return;
        setTimeout(() => {
          seen.open--;
          response.writeHead(204).end();
        }, delayMs);
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, seen };
  }
  const job = (url: string, n: number): SendJob => ({
    url,
    body: JSON.stringify({ id: `evt_${n}` }),
    headers: { 'Content-Type': 'application/json' },
    secrets: ['whsec_new', 'whsec_old'],
    timestampSeconds: Math.floor(Date.now() / 1000),
  });

  it('signs each request with every secret (verified with the documented helper) and keeps to the lane’s limit', async () => {
    const { url, seen } = await shop(100);
    sender = createWebhookSender();
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map((n) => sendOne(sender!, { key: 'ep', limit: 2 }, job(url, n))));
    expect(outcomes.map((outcome) => outcome !== NOT_SENT && outcome.httpStatus)).toEqual([204, 204, 204, 204, 204]);
    expect(seen.mostOpen).toBe(2);
    for (const request of seen.requests) {
      expect(verifyTillWebhook(request.body, request.signature, 'whsec_new')).toBeTruthy();
      expect(verifyTillWebhook(request.body, request.signature, 'whsec_old')).toBeTruthy();
    }
    // The three that waited their turn say so.
    expect(outcomes.filter((outcome) => outcome !== NOT_SENT && (outcome.waitedMs ?? 0) > 0).length).toBeGreaterThanOrEqual(3);
  });

  it('an abort: the waiting request comes back not sent, the one out rejects', async () => {
    const { url, seen } = await shop('hang');
    sender = createWebhookSender();
    const controller = new AbortController();
    const out = sendOne(sender!, { key: 'ep', limit: 1 }, job(url, 1), controller.signal);
    const waiting = sendOne(sender!, { key: 'ep', limit: 1 }, job(url, 2), controller.signal);
    while (seen.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    await expect(waiting).resolves.toBe(NOT_SENT);
    await expect(out).rejects.toThrow();
    expect(seen.requests).toHaveLength(1);
  });

  it('withdraw takes back what waits on a lane', async () => {
    const { url } = await shop('hang');
    sender = createWebhookSender();
    void sendOne(sender!, { key: 'ep', limit: 1 }, job(url, 1)).catch(() => undefined);
    const waiting = sendOne(sender!, { key: 'ep', limit: 1 }, job(url, 2));
    sender.withdraw('ep');
    await expect(waiting).resolves.toBe(NOT_SENT);
  });

  it('when its thread dies, what it had fails with SenderStoppedError, and the next send starts a new one', async () => {
    const { url } = await shop('hang');
    sender = createWebhookSender();
    const lost = sendOne(sender!, { key: 'ep', limit: 1 }, job(url, 1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await sender.close();
    await expect(lost).rejects.toBeInstanceOf(SenderStoppedError);
    server!.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
    const { url: again } = await shop(0);
    const outcome = await sendOne(sender!, { key: 'ep', limit: 1 }, job(again, 2));
    expect(outcome).toMatchObject({ httpStatus: 204 });
  });
});
