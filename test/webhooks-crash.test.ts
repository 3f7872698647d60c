import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/main/engine/db/connection.ts';
import { databasePath } from '../src/main/engine/engine.ts';
import { CLAIM_DEPTH } from '../src/main/engine/webhooks/webhook-dispatcher.ts';
import { tempDataDir, TEST_MNEMONIC } from './fixtures/engine.ts';
import { freePort, waitFor } from './fixtures/ports.ts';
import { runTill, startTillServe, type TillServe } from './fixtures/till-serve.ts';
import { startWebhookReceiver } from './fixtures/webhook-receiver.ts';

const SECRET = 'whsec_crash_test_secret_0123456789abcdef';
const INVOICES = 20;

/** The browser UI's session: the login link's token exchanged for the cookie. */
async function uiSession(serve: TillServe) {
  const login = await fetch(serve.loginUrl, { redirect: 'manual' });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  return async (method: string, input: unknown) => {
    const response = await fetch(`${serve.url}/ui/rpc/${method}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    const answer = (await response.json()) as { ok: boolean; value?: unknown; error?: unknown };
    if (!answer.ok) throw new Error(`${method}: ${JSON.stringify(answer.error)}`);
    return answer.value;
  };
}

describe('kill -9 of till serve in the middle of webhook deliveries', () => {
  const data = tempDataDir('till-whcrash-');
  const serves: TillServe[] = [];
  afterAll(async () => {
    for (const serve of serves) await serve.stop('SIGKILL');
    data.cleanup();
  });

  it('after a restart nothing is lost: every event arrives, in order, and only interrupted ones twice', async () => {
    const receiver = await startWebhookReceiver({ secrets: [SECRET] });
    try {
      expect((await runTill(data.dir, ['wallet', 'import', '--keystore', 'file'], TEST_MNEMONIC)).code).toBe(0);
      const apiKey = (await runTill(data.dir, ['apikey', 'create', '--name', 'shop'])).stdout.trim();
      // The endpoint comes from the config file, with the secret the shop already has.
      const config = join(data.dir, 'till.json');
      const closedPort = await freePort();
      writeFileSync(
        config,
        JSON.stringify({
          chains: [
            {
              chainId: 31337,
              name: 'Anvil',
              rpcUrls: [`http://127.0.0.1:${closedPort}`],
              confirmations: 2,
              pollIntervalMs: 60_000,
            },
          ],
          webhooks: [{ url: receiver.url, secret: SECRET, description: 'the shop' }],
        }),
      );

      const first = await startTillServe(data.dir, ['--config', config]);
      serves.push(first);
      const ui = await uiSession(first);
      await ui('chains.pause', { chainId: 31337 });

      // A slow shop (1 s an answer, four at a time): deliveries stay in flight and fall behind the
      // invoices being made. Once every invoice is made, the next request to arrive kills Till
      // while it (and up to three more) wait for their answer.
      let creating = true;
      let killedAt = -1;
      receiver.answer = () => {
        if (!creating && killedAt < 0) {
          killedAt = receiver.received.length;
          first.process.kill('SIGKILL');
        }
        return { status: 204, delayMs: 1_000 };
      };
      const invoiceIds: string[] = [];
      for (let i = 0; i < INVOICES; i++) {
        const response = await fetch(`${first.url}/api/v1/invoices`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ chainId: 31337, token: 'native', amount: '0.01', orderId: `order-${i}` }),
        });
        expect(response.status).toBe(201);
        const { id } = (await response.json()) as { id: string };
        invoiceIds.push(id);
        await ui('invoices.markPaid', { id, reason: 'paid in cash' });
        await ui('invoices.markInvalid', { id, reason: 'refunded' });
      }
      creating = false;
      await waitFor(() => first.process.signalCode === 'SIGKILL', 'till serve to be killed mid-delivery');
      const beforeKill = receiver.accepted().length;
      expect(beforeKill).toBeGreaterThan(0);
      expect(beforeKill).toBeLessThan(INVOICES * 3);

      receiver.answer = () => ({ status: 204 });
      const second = await startTillServe(data.dir, ['--config', config]);
      serves.push(second);
      // Attempts the killed process had out are taken back when their lease ends (30 s).
      await waitFor(
        () => new Set(receiver.accepted().map((r) => r.event!.id)).size === INVOICES * 3,
        'every event at the receiver after the restart',
        60_000,
      );
      expect(await second.stop()).toBe(0);

      const db = openDatabase({ path: databasePath(data.dir) });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const events = db.prepare('SELECT id, invoice_id AS invoiceId, sequence FROM events ORDER BY seq').all() as {
          id: string;
          invoiceId: string;
          sequence: number;
        }[];
        expect(events).toHaveLength(INVOICES * 3);
        expect(new Set(events.map((event) => event.invoiceId))).toEqual(new Set(invoiceIds));
        const deliveries = db.prepare('SELECT id, event_id AS eventId, status, redelivery FROM webhook_deliveries').all() as {
          id: string;
          eventId: string;
          status: string;
          redelivery: number;
        }[];
        expect(deliveries).toHaveLength(INVOICES * 3);
        expect(deliveries.every((d) => d.status === 'succeeded' && d.redelivery === 0)).toBe(true);
        const interrupted = db
          .prepare(
            `SELECT d.event_id AS eventId FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
             WHERE a.error LIKE 'interrupted:%' AND a.finished_at IS NOT NULL`,
          )
          .all() as { eventId: string }[];
        // Each interrupted attempt is closed in the log; the kill was mid-delivery, so there is one at
        // least; at most the endpoint's claims: the four out and those claimed ahead on its lane.
        expect(interrupted.length).toBeGreaterThanOrEqual(1);
        expect(interrupted.length).toBeLessThanOrEqual(4 * CLAIM_DEPTH);
        expect(db.prepare('SELECT COUNT(*) AS n FROM webhook_attempts WHERE finished_at IS NULL').get()).toEqual({ n: 0 });

        // At least once: none missing; an event came twice only if its attempt was interrupted.
        const arrivals = new Map<string, number>();
        for (const r of receiver.accepted()) arrivals.set(r.event!.id, (arrivals.get(r.event!.id) ?? 0) + 1);
        expect(new Set(arrivals.keys())).toEqual(new Set(events.map((event) => event.id)));
        const duplicated = [...arrivals].filter(([, count]) => count > 1).map(([id]) => id);
        const interruptedIds = new Set(interrupted.map((row) => row.eventId));
        expect(duplicated.filter((id) => !interruptedIds.has(id))).toEqual([]);
        expect([...arrivals.values()].every((count) => count <= 2)).toBe(true);
        // The one that triggered the kill had reached the shop: it is one of the duplicates.
        expect(duplicated).toContain(receiver.received[killedAt]!.event!.id);

        // Per invoice, first arrivals are in sequence order.
        const firsts = new Map<string, number[]>();
        const seen = new Set<string>();
        for (const r of receiver.accepted()) {
          if (seen.has(r.event!.id)) continue;
          seen.add(r.event!.id);
          const invoiceId = r.event!.data.invoice!.id;
          firsts.set(invoiceId, [...(firsts.get(invoiceId) ?? []), r.event!.sequence]);
        }
        for (const invoiceId of invoiceIds) expect(firsts.get(invoiceId), invoiceId).toEqual([1, 2, 3]);
      } finally {
        db.close();
      }
      expect(receiver.received.every((r) => r.verifyError === null)).toBe(true);
    } finally {
      await receiver.close();
    }
  }, 120_000);
});
