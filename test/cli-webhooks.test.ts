import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { parseEther } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookDelivery, WebhookDeliveryDetail, WebhookDeliveryPage, WebhookEndpoint } from '../src/shared/webhooks.ts';
import { verifyTillWebhook } from '../examples/webhooks/verify-till-signature.mjs';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { mine, sendNative } from './fixtures/chain-actions.ts';
import { runTill, type TillResult } from './fixtures/cli.ts';
import { tempDataDir, TEST_MNEMONIC } from './fixtures/engine.ts';
import { freePort, waitFor } from './fixtures/ports.ts';
import { startTillServe, writeAnvilConfig, type TillServe } from './fixtures/till-serve.ts';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from './fixtures/webhook-receiver.ts';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.splice(0).forEach((cleanup) => cleanup()));
function freshDataDir(): string {
  const { dir, cleanup } = tempDataDir('till-cli-webhooks-');
  cleanups.push(cleanup);
  return dir;
}

const webhooks = (dataDir: string, args: string[], options: { passphrase?: string | null; env?: Record<string, string> } = {}) =>
  // A generous deadline: these machines are shared, and a CLI start can take seconds under load.
  runTill(['webhooks', ...args], { dataDir, timeoutMs: 90_000, ...options });

async function webhooksJson<T>(dataDir: string, args: string[]): Promise<T> {
  const result = await webhooks(dataDir, [...args, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** Names of the files under the data dir (logs, database, WAL, keystore) whose bytes contain any needle. */
function filesHolding(dataDir: string, needles: string[]): string[] {
  return readdirSync(dataDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .filter((entry) => {
      const bytes = readFileSync(join(entry.parentPath, entry.name));
      return needles.some((needle) => bytes.includes(Buffer.from(needle)));
    })
    .map((entry) => entry.name);
}

const occurrences = (text: string, needle: string) => text.split(needle).length - 1;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const v1Count = (header: string | undefined) => (header ?? '').split(',').filter((part) => part.startsWith('v1=')).length;

async function addEndpoint(dataDir: string, url: string, extra: string[] = []): Promise<{ id: string; secret: string }> {
  const added = await webhooks(dataDir, ['add', '--url', url, ...extra]);
  expect(added.code, added.stderr).toBe(0);
  const id = /Webhook endpoint (whe_\w+) added/.exec(added.stderr)?.[1];
  expect(id).toBeDefined();
  return { id: id!, secret: added.stdout.trim() };
}

describe('till webhooks on a data dir no till serve is using', { timeout: 180_000 }, () => {
  let dataDir: string;
  let receiver: WebhookReceiver;
  let endpointId = '';
  let secret = '';

  const db = () => new BetterSqlite3(join(dataDir, 'till.db'), { readonly: true });

  beforeAll(async () => {
    dataDir = freshDataDir();
    const imported = await runTill(['wallet', 'import', '--keystore', 'file'], { dataDir, input: TEST_MNEMONIC });
    expect(imported.code, imported.stderr).toBe(0);
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it('add prints the secret exactly once, alone on stdout, with a one-line warning on stderr; no file in the data dir holds it', async () => {
    const added = await webhooks(dataDir, [
      'add',
      '--url',
      receiver.url,
      '--events',
      'invoice.confirmed',
      'invoice.expired',
      '--description',
      'web shop',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^whsec_[A-Za-z0-9_-]{43}\n$/);
    secret = added.stdout.trim();
    expect(added.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    const warning = new RegExp(
      `^Webhook endpoint (whe_\\w+) added for ${escape(receiver.url)} \\(events: invoice\\.confirmed, invoice\\.expired\\)\\. Copy the secret now: Till shows it only this once\\.\\n$`,
    ).exec(added.stderr);
    expect(warning).not.toBeNull();
    endpointId = warning![1]!;
    expect(occurrences(added.stdout + added.stderr, secret)).toBe(1);

    const listed = await webhooks(dataDir, ['list']);
    expect(listed.code).toBe(0);
    const [header, row, ...rest] = listed.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+URL\s+EVENTS\s+STATE\s+OK 24H\s+LAST ATTEMPT\s+UNDELIVERED\s+DEAD\s+SECRET$/);
    expect(rest).toEqual([]);
    expect(row).toMatch(
      new RegExp(
        `^${endpointId}\\s+${escape(receiver.url)}\\s+invoice\\.confirmed,invoice\\.expired\\s+enabled\\s+-\\s+never\\s+0\\s+0\\s+…${escape(secret.slice(-4))}$`,
      ),
    );
    const [endpoint] = await webhooksJson<WebhookEndpoint[]>(dataDir, ['list']);
    expect(endpoint).toMatchObject({
      id: endpointId,
      url: receiver.url,
      description: 'web shop',
      events: ['invoice.confirmed', 'invoice.expired'],
      enabled: true,
      source: 'app',
      secrets: [{ hint: `…${secret.slice(-4)}`, expiresAt: null }],
    });
    expect(listed.stdout).not.toContain(secret);
    expect(JSON.stringify(endpoint)).not.toContain(secret.slice(6, 30));
    expect(filesHolding(dataDir, [secret, secret.slice(6, 30)])).toEqual([]);
  });

  it('ping sends a signed ping from the CLI process and prints the outcome; show prints the attempt and the exact request body', async () => {
    receiver.secrets.splice(0, Infinity, secret);
    const pinged = await webhooks(dataDir, ['ping', endpointId]);
    expect(pinged.code, pinged.stderr).toBe(0);
    const line = new RegExp(
      `^Delivered ping (evt_\\w+) to ${escape(receiver.url)} \\(delivery (whd_\\w+)\\): HTTP 204 in \\d+ ms\\.\\n$`,
    ).exec(pinged.stdout);
    expect(line, pinged.stdout).not.toBeNull();
    const [, eventId, deliveryId] = line!;
    const arrived = receiver.accepted().at(-1)!;
    expect(arrived.event).toMatchObject({ id: eventId, type: 'ping', sequence: 0, data: {} });
    expect(arrived.headers['till-delivery-id']).toBe(deliveryId);

    const shown = await webhooks(dataDir, ['show', deliveryId!]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^Delivery    ${deliveryId}$`, 'm'));
    expect(shown.stdout).toMatch(new RegExp(`^Event       ${eventId}  ping  sequence 0$`, 'm'));
    expect(shown.stdout).toMatch(new RegExp(`^Endpoint    ${endpointId}  ${escape(receiver.url)}$`, 'm'));
    expect(shown.stdout).toMatch(/^Status      succeeded after 1 attempt\(s\)$/m);
    expect(shown.stdout).toMatch(/^ {2}#\s+STARTED\s+DURATION\s+HTTP\s+ERROR$/m);
    expect(shown.stdout).toMatch(/^ {2}1\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+\d+ ms\s+204$/m);
    expect(shown.stdout.endsWith(`Request body (the exact bytes every attempt signed and sent):\n${arrived.rawBody}\n`)).toBe(
      true,
    );

    const detail = await webhooksJson<WebhookDeliveryDetail>(dataDir, ['show', deliveryId!]);
    expect(detail).toMatchObject({
      id: deliveryId,
      status: 'succeeded',
      attemptLog: [{ attempt: 1, httpStatus: 204, error: null }],
    });
    expect(detail.requestBody).toBe(arrived.rawBody);
  });

  it('a failing receiver: ping exits 3 naming the answer, show prints its body made safe for a terminal, redeliver sends the same event again marked Till-Redelivery', async () => {
    receiver.answer = () => ({ status: 500, body: 'database down\u001b[2J' });
    const pinged = await webhooks(dataDir, ['ping', endpointId]);
    expect(pinged.code).toBe(3);
    const line = new RegExp(
      `^Not delivered: ping (evt_\\w+) to ${escape(receiver.url)} \\(delivery (whd_\\w+)\\): HTTP 500 Internal Server Error\\. A ping is tried once: send another when the endpoint is fixed\\. Details: till webhooks show whd_\\w+\\n$`,
    ).exec(pinged.stdout);
    expect(line, pinged.stdout).not.toBeNull();
    const [, eventId, failedId] = line!;

    const shown = await webhooks(dataDir, ['show', failedId!]);
    expect(shown.stdout).toMatch(/^Status      failed after 1 attempt\(s\)$/m);
    expect(shown.stdout).toMatch(/^ {2}1\s+\S+Z\s+\d+ ms\s+500\s+HTTP 500 Internal Server Error$/m);
    expect(shown.stdout).toContain('Response body of attempt 1:\n  database down\uFFFD[2J\n');
    expect(shown.stdout).not.toContain('\u001b');

    receiver.answer = () => ({ status: 204 });
    const resent = await webhooks(dataDir, ['redeliver', failedId!]);
    expect(resent.code, resent.stderr).toBe(0);
    const resentId = new RegExp(`^Delivered ping ${eventId} to ${escape(receiver.url)} \\(delivery (whd_\\w+)\\): HTTP 204`).exec(
      resent.stdout,
    )?.[1];
    expect(resentId, resent.stdout).toBeDefined();
    const arrived = receiver.accepted().at(-1)!;
    expect(arrived.headers).toMatchObject({ 'till-event-id': eventId, 'till-delivery-id': resentId, 'till-redelivery': 'true' });

    const log = await webhooksJson<WebhookDeliveryPage>(dataDir, ['deliveries']);
    expect(log.items.find((d) => d.id === failedId)).toMatchObject({ status: 'superseded', redelivery: false });
    expect(log.items.find((d) => d.id === resentId)).toMatchObject({ status: 'succeeded', redelivery: true, eventId });
  });

  it('deliveries prints a table, filters by status and endpoint, and pages with --limit and --cursor', async () => {
    const closed = await addEndpoint(dataDir, `http://127.0.0.1:${await freePort()}/gone`);
    expect((await webhooks(dataDir, ['ping', closed.id])).code).toBe(3);

    const table = await webhooks(dataDir, ['deliveries']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^DELIVERY\s+EVENT\s+INVOICE\s+SEQ\s+ENDPOINT\s+STATUS\s+ATTEMPTS\s+LAST\s+NEXT ATTEMPT\s+CREATED$/);
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(new RegExp(`^whd_\\w+\\s+ping\\s+-\\s+0\\s+${closed.id}\\s+failed\\s+1\\s+ECONNREFUSED`));
    expect(lines[2]).toMatch(
      new RegExp(`^whd_\\w+\\s+ping\\s+-\\s+0\\s+${endpointId}\\s+succeeded \\(redelivery\\)\\s+1\\s+204\\s+-\\s+\\S+Z$`),
    );

    const failed = await webhooksJson<WebhookDeliveryPage>(dataDir, ['deliveries', '--status', 'failed']);
    expect(failed.items.map((d) => [d.endpointId, d.status])).toEqual([[closed.id, 'failed']]);
    const mine = await webhooksJson<WebhookDeliveryPage>(dataDir, ['deliveries', '--endpoint', endpointId]);
    expect(mine.items.map((d) => d.status)).toEqual(['succeeded', 'superseded', 'succeeded']);

    const first = await webhooks(dataDir, ['deliveries', '--limit', '2']);
    const cursor = /^More: add --cursor (\d+)$/m.exec(first.stdout)?.[1];
    expect(cursor, first.stdout).toBeDefined();
    const page = await webhooksJson<WebhookDeliveryPage>(dataDir, ['deliveries', '--limit', '2', '--cursor', cursor!]);
    const all = await webhooksJson<WebhookDeliveryPage>(dataDir, ['deliveries']);
    expect(page.items.map((d) => d.id)).toEqual(all.items.slice(2, 4).map((d) => d.id));
    expect(page.nextCursor).toBeNull();

    const removed = await webhooks(dataDir, ['remove', closed.id]);
    expect(removed.stdout).toMatch(
      new RegExp(
        `^Removed webhook endpoint ${closed.id} \\(http://127\\.0\\.0\\.1:\\d+/gone\\) with its secrets and delivery log\\.\\n$`,
      ),
    );
    expect((await webhooksJson<WebhookDeliveryPage>(dataDir, ['deliveries', '--endpoint', closed.id])).items).toEqual([]);
    expect((await webhooksJson<WebhookEndpoint[]>(dataDir, ['list'])).map((e) => e.id)).toEqual([endpointId]);
  });

  it('rotate-secret prints the new secret once; during the overlap every request carries both signatures; --overlap-hours 0 drops the old one', async () => {
    const rotated = await webhooks(dataDir, ['rotate-secret', endpointId]);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(/^whsec_[A-Za-z0-9_-]{43}\n$/);
    const second = rotated.stdout.trim();
    expect(second).not.toBe(secret);
    expect(rotated.stderr).toMatch(
      new RegExp(
        `^New secret for ${endpointId} \\(${escape(receiver.url)}\\)\\. The previous secret \\(…${escape(secret.slice(-4))}\\) keeps signing beside it until \\S+Z; then only the new one does\\. Copy it now: Till shows it only this once\\.\\n$`,
      ),
    );
    const [endpoint] = await webhooksJson<WebhookEndpoint[]>(dataDir, ['list']);
    expect(endpoint!.secrets.map((s) => s.hint)).toEqual([`…${second.slice(-4)}`, `…${secret.slice(-4)}`]);
    const expires = Date.parse(endpoint!.secrets[1]!.expiresAt!);
    expect(Math.abs(expires - Date.now() - 24 * 3_600_000)).toBeLessThan(120_000);

    receiver.secrets.splice(0, Infinity, second);
    expect((await webhooks(dataDir, ['ping', endpointId])).code).toBe(0);
    const during = receiver.accepted().at(-1)!;
    expect(v1Count(during.headers['till-signature'])).toBe(2);
    for (const either of [secret, second])
      expect(verifyTillWebhook(during.rawBody, during.headers['till-signature'], either)).toMatchObject({ type: 'ping' });

    const dropped = await webhooks(dataDir, ['rotate-secret', endpointId, '--overlap-hours', '0']);
    expect(dropped.code, dropped.stderr).toBe(0);
    const third = dropped.stdout.trim();
    expect(dropped.stderr).toMatch(/The previous secret no longer signs\./);
    receiver.secrets.splice(0, Infinity, third);
    expect((await webhooks(dataDir, ['ping', endpointId])).code).toBe(0);
    const after = receiver.accepted().at(-1)!;
    expect(v1Count(after.headers['till-signature'])).toBe(1);
    expect(() => verifyTillWebhook(after.rawBody, after.headers['till-signature'], second)).toThrow(/does not match/);
    expect(filesHolding(dataDir, [secret, second, third])).toEqual([]);
    secret = third;
  });

  it('disable and enable say what happens to the deliveries', async () => {
    const disabled = await webhooks(dataDir, ['disable', endpointId]);
    expect(disabled.stdout).toBe(
      `Webhook endpoint ${endpointId} (${receiver.url}) disabled. Its deliveries wait until it is enabled again.\n`,
    );
    expect((await webhooks(dataDir, ['list'])).stdout).toMatch(new RegExp(`^${endpointId}\\s.*\\sdisabled\\s`, 'm'));
    const enabled = await webhooks(dataDir, ['enable', endpointId]);
    expect(enabled.stdout).toBe(`Webhook endpoint ${endpointId} (${receiver.url}) enabled.\n`);
    expect((await webhooksJson<WebhookEndpoint[]>(dataDir, ['list']))[0]!.enabled).toBe(true);
  });

  const counts = () => {
    const handle = db();
    try {
      return Object.fromEntries(
        ['webhook_endpoints', 'webhook_secrets', 'webhook_deliveries', 'webhook_attempts', 'events', 'operator_log'].map(
          (table) => [table, (handle.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n],
        ),
      );
    } finally {
      handle.close();
    }
  };
  const since = '2026-01-01T00:00:00Z';
  type BadInput = [string[], RegExp, { passphrase?: null }?];
  it.each<[string, () => BadInput[]]>([
    [
      'add',
      () => [
        [
          ['add', '--url', 'ftp://shop.example/hook'],
          /^Error \[VALIDATION_FAILED\]: Invalid input: url: a webhook URL must start with http:\/\/ or https:\/\//,
        ],
        [['add', '--url', 'shop.example/hook'], /url: must be a URL such as https:\/\/shop\.example\/till-webhook/],
        [['add'], /required option '--url <url>' not specified/],
        [
          ['add', '--url', receiver.url, '--events', 'invoice.Paid'],
          /events\[0\]: an event type looks like "invoice\.confirmed", and "invoice\.Paid" is not one/,
        ],
        [['add', '--url', receiver.url, '--secret', 'too-short'], /secret: a webhook secret must be at least 16 characters/],
        [
          ['add', '--url', receiver.url, '--secret-env', 'TILL_TEST_UNSET_SECRET'],
          /The environment variable TILL_TEST_UNSET_SECRET is not set\. Nothing was changed\./,
        ],
        [
          ['add', '--url', receiver.url, '--secret', 'a'.repeat(20), '--secret-env', 'X'],
          /either --secret or --secret-env, not both/,
        ],
      ],
    ],
    [
      'deliveries and show',
      () => [
        [
          ['deliveries', '--status', 'lost'],
          /status: Invalid option: expected one of "pending"\|"sending"\|"failed"\|"succeeded"\|"dead"\|"superseded"/,
        ],
        [['deliveries', '--limit', 'ten'], /--limit must be a whole number \(got "ten"\)/],
        [['deliveries', '--limit', '501'], /limit: Too big: expected number to be <=500/],
        [['deliveries', '--event-type', 'invoice.paid'], /eventType: Invalid option/],
        [
          ['show', 'whd_NOPE'],
          /^Error \[WEBHOOK_DELIVERY_NOT_FOUND\]: No webhook delivery with id whd_NOPE\. List them with: till webhooks deliveries/,
        ],
        [['frobnicate'], /unknown command 'frobnicate'/],
      ],
    ],
    [
      'redeliver',
      () => [
        [
          ['redeliver'],
          /Give a delivery id \(till webhooks deliveries lists them\), or --failed --since TIME\. Nothing was changed\./,
        ],
        [['redeliver', 'whd_NOPE'], /^Error \[WEBHOOK_DELIVERY_NOT_FOUND\]/],
        [['redeliver', '--failed'], /--failed needs --since/],
        [['redeliver', '--failed', '--since', 'yesterday'], /since: give a time such as 2026-12-01T09:00:00Z/],
        [['redeliver', '--failed', '--since', since, '--endpoint', 'whe_NOPE'], /^Error \[WEBHOOK_NOT_FOUND\]/],
        [['redeliver', 'whd_X', '--failed', '--since', since], /either a delivery id or --failed --since TIME, not both/],
        [['redeliver', 'whd_X', '--since', since], /--since and --endpoint go with --failed/],
      ],
    ],
    [
      'ping, rotate-secret, enable, remove',
      () => [
        [
          ['ping', 'whe_NOPE'],
          /^Error \[WEBHOOK_NOT_FOUND\]: No webhook endpoint with id whe_NOPE\. List them with: till webhooks list/,
        ],
        [['ping'], /missing required argument 'endpoint-id'/],
        [['rotate-secret', endpointId, '--overlap-hours', '1000'], /overlapHours: Too big: expected number to be <=720/],
        [['rotate-secret', endpointId, '--overlap-hours', '1.5'], /--overlap-hours must be a whole number/],
        [['enable', 'whe_NOPE'], /^Error \[WEBHOOK_NOT_FOUND\]/],
        [['remove', 'whe_NOPE'], /^Error \[WEBHOOK_NOT_FOUND\]/],
      ],
    ],
    [
      'a locked keystore (no TILL_PASSPHRASE, no terminal)',
      () => [
        [['add', '--url', receiver.url], /^Error \[VAULT_LOCKED\]: The file keystore needs its passphrase/, { passphrase: null }],
        [['ping', endpointId], /^Error \[VAULT_LOCKED\]/, { passphrase: null }],
        [['rotate-secret', endpointId], /^Error \[VAULT_LOCKED\]/, { passphrase: null }],
      ],
    ],
  ])('refuses bad input to %s with exit code 2 and a message saying what is wrong, changing nothing', async (_group, cases) => {
    const before = counts();
    // Independent commands: two at a time (two cores) keeps the wall time down without starving them.
    const queue = cases().map(([args, , options], index) => ({ index, run: () => webhooks(dataDir, args, options) }));
    const results: TillResult[] = [];
    await Promise.all(
      [0, 1].map(async () => {
        for (let next = queue.shift(); next; next = queue.shift()) results[next.index] = await next.run();
      }),
    );
    cases().forEach(([args, message], index) => {
      const result = results[index]!;
      expect(result.code, `till webhooks ${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr, `till webhooks ${args.join(' ')}`).toMatch(message);
      expect(result.stdout, `till webhooks ${args.join(' ')}`).toBe('');
    });
    expect(counts()).toEqual(before);
  });
});

describe('till webhooks while till serve runs on the same data dir', { timeout: 180_000 }, () => {
  let dataDir: string;
  let anvil: Anvil;
  let serve: TillServe;
  let receiver: WebhookReceiver;
  let apiKey = '';
  let endpointId = '';
  let paidInvoice = '';

  const api = async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${serve.url}/api/v1${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await response.json()) as T;
  };
  const forInvoice = (invoiceId: string): ReceivedWebhook[] =>
    receiver.accepted().filter((r) => r.event?.data.invoice?.id === invoiceId);
  /** Pays an invoice on anvil and mines past examples' 2 confirmations. */
  async function payInvoice(amount: string): Promise<string> {
    const invoice = await api<{ id: string; address: `0x${string}` }>('/invoices', { chainId: 31337, token: 'native', amount });
    await sendNative(anvil, { to: invoice.address, value: parseEther(amount) });
    await mine(anvil, 2);
    return invoice.id;
  }

  beforeAll(async () => {
    anvil = await startAnvil();
    dataDir = freshDataDir();
    expect((await runTill(['wallet', 'import', '--keystore', 'file'], { dataDir, input: TEST_MNEMONIC })).code).toBe(0);
    apiKey = (await runTill(['apikey', 'create', '--name', 'shop'], { dataDir })).stdout.trim();
    serve = await startTillServe(dataDir, ['--config', writeAnvilConfig(dataDir, anvil.rpcUrl)]);
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await serve?.stop();
    await receiver?.close();
    await anvil?.stop();
  });

  it('an endpoint added with the CLI gets the running till’s events in order, signed with the secret the CLI printed', async () => {
    const added = await addEndpoint(dataDir, receiver.url);
    endpointId = added.id;
    receiver.secrets.push(added.secret);
    paidInvoice = await payInvoice('0.05');
    await waitFor(() => forInvoice(paidInvoice).length === 4, 'four events of the paid invoice');
    expect(forInvoice(paidInvoice).map((r) => [r.event!.type, r.event!.sequence])).toEqual([
      ['invoice.created', 1],
      ['invoice.payment_received', 2],
      ['invoice.detected', 3],
      ['invoice.confirmed', 4],
    ]);
  });

  it('ping and redeliver attempt at once and print the outcome; the receiver gets each exactly once', async () => {
    const pinged = await webhooks(dataDir, ['ping', endpointId, '--json']);
    expect(pinged.code, pinged.stderr).toBe(0);
    const ping = JSON.parse(pinged.stdout) as WebhookDeliveryDetail;
    expect(ping).toMatchObject({ eventType: 'ping', status: 'succeeded', attempts: 1 });
    expect(receiver.accepted().filter((r) => r.event!.id === ping.eventId)).toHaveLength(1);

    const confirmed = (await webhooksJson<WebhookDeliveryPage>(dataDir, ['deliveries', '--invoice', paidInvoice])).items.find(
      (d) => d.eventType === 'invoice.confirmed',
    )!;
    const resent = await webhooks(dataDir, ['redeliver', confirmed.id]);
    expect(resent.code, resent.stderr).toBe(0);
    const resentId = /^Delivered invoice\.confirmed evt_\w+ to \S+ \(delivery (whd_\w+)\): HTTP 204 in \d+ ms\.\n$/.exec(
      resent.stdout,
    )?.[1];
    expect(resentId, resent.stdout).toBeDefined();
    const copies = receiver.accepted().filter((r) => r.event!.id === confirmed.eventId);
    expect(copies.map((r) => r.headers['till-redelivery'] ?? null)).toEqual([null, 'true']);
    expect(copies[1]!.rawBody).toBe(copies[0]!.rawBody);
    const detail = await webhooksJson<WebhookDeliveryDetail>(dataDir, ['show', resentId!]);
    expect(detail.attemptLog).toHaveLength(1);
    // The original had succeeded: a redelivery does not supersede it.
    expect((await webhooksJson<WebhookDeliveryDetail>(dataDir, ['show', confirmed.id])).status).toBe('succeeded');
  });

  it('deliveries --invoice lists one invoice’s deliveries, newest first, with their state', async () => {
    const table = await webhooks(dataDir, ['deliveries', '--invoice', paidInvoice]);
    const rows = table.stdout.trimEnd().split('\n').slice(1);
    expect(rows.map((row) => row.split(/\s{2,}/).slice(1, 7))).toEqual([
      ['invoice.confirmed', paidInvoice, '4', endpointId, 'succeeded (redelivery)', '1'],
      ['invoice.confirmed', paidInvoice, '4', endpointId, 'succeeded', '1'],
      ['invoice.detected', paidInvoice, '3', endpointId, 'succeeded', '1'],
      ['invoice.payment_received', paidInvoice, '2', endpointId, 'succeeded', '1'],
      ['invoice.created', paidInvoice, '1', endpointId, 'succeeded', '1'],
    ]);
  });

  it('receiver down: the failed attempts show in the log; redeliver --failed --since queues them and the running till sends them once it is back', async () => {
    const since = new Date().toISOString();
    receiver.answer = () => ({ status: 503, body: 'maintenance' });
    const unpaid = await payInvoice('0.07');
    // Per-invoice order: invoice.created fails first and the later events wait behind it.
    const failed = await waitFor(async () => {
      const page = await webhooksJson<WebhookDeliveryPage>(dataDir, ['deliveries', '--invoice', unpaid, '--status', 'failed']);
      return page.items.length > 0 ? page.items : undefined;
    }, 'a failed delivery');
    expect(failed.map((d) => [d.eventType, d.lastHttpStatus])).toEqual([['invoice.created', 503]]);
    const log = await webhooks(dataDir, ['deliveries', '--status', 'failed']);
    expect(log.stdout).toMatch(
      new RegExp(`^${failed[0]!.id}\\s+invoice\\.created\\s+${unpaid}\\s+1\\s+${endpointId}\\s+failed\\s+\\d+\\s+503\\s`, 'm'),
    );

    // "Back up" the moment the resend arrives, so the original's own scheduled retry (≈10 s
    // after the failure) cannot get there first, however slow this machine is today.
    let up = false;
    receiver.answer = ({ headers }) => {
      if (headers['till-redelivery'] === 'true') up = true;
      return up ? { status: 204 } : { status: 503, body: 'maintenance' };
    };
    const queued = await webhooks(dataDir, ['redeliver', '--failed', '--since', since]);
    expect(queued.code, queued.stderr).toBe(0);
    expect(queued.stdout).toBe(
      'Queued 1 redelivery(ies). They go out when till serve or the desktop app runs on this data folder (within a second if one runs now); follow them with: till webhooks deliveries\n',
    );
    // Events the dispatcher sent beside the resend may have met the receiver still down: their retry comes ≈10 s later.
    await waitFor(() => forInvoice(unpaid).length === 4, 'the unpaid invoice’s four events after the resend', 45_000);
    // A redelivery neither waits for nor holds back the invoice's other events: it may arrive beside the next one.
    const bySequence = forInvoice(unpaid).sort((a, b) => a.event!.sequence - b.event!.sequence);
    expect(bySequence.map((r) => [r.event!.type, r.headers['till-redelivery'] ?? null])).toEqual([
      ['invoice.created', 'true'],
      ['invoice.payment_received', null],
      ['invoice.detected', null],
      ['invoice.confirmed', null],
    ]);
    const again = await webhooks(dataDir, ['redeliver', '--failed', '--since', since]);
    expect(again.stdout).toBe(`Nothing to redeliver: no failed or dead deliveries since ${since}.\n`);
  });

  it('a disabled endpoint’s deliveries wait while till serve runs, and go out once it is enabled', async () => {
    expect((await webhooks(dataDir, ['disable', endpointId])).code).toBe(0);
    const invoice = await api<{ id: string }>('/invoices', { chainId: 31337, token: 'native', amount: '0.01' });
    const waiting = await waitFor(async () => {
      const page = await webhooksJson<WebhookDeliveryPage>(dataDir, ['deliveries', '--invoice', invoice.id]);
      return page.items[0];
    }, 'the delivery to be queued');
    expect(waiting).toMatchObject<Partial<WebhookDelivery>>({ status: 'pending', attempts: 0 });
    expect(forInvoice(invoice.id)).toEqual([]);
    const enabled = await webhooks(dataDir, ['enable', endpointId]);
    expect(enabled.stdout).toMatch(/enabled\. 1 waiting delivery\(ies\) go out when till serve or the desktop app runs\.\n$/);
    await waitFor(() => forInvoice(invoice.id).length === 1, 'the held delivery');
  });
});

describe('till serve --config with webhooks[]', { timeout: 180_000 }, () => {
  let dataDir: string;
  let receivers: WebhookReceiver[];
  let config: string;
  const given = 'whsec_given-in-the-config-file-0001';
  const fromEnv = 'whsec_from-the-environment-00000001';

  const writeConfig = (secret: string) =>
    writeFileSync(
      config,
      JSON.stringify({
        chains: [],
        webhooks: [
          { url: receivers[0]!.url, secret, description: 'given' },
          { url: receivers[1]!.url, secretEnv: 'TILL_TEST_HOOK_SECRET', events: ['invoice.confirmed'] },
          { url: receivers[2]!.url },
        ],
      }),
    );
  const logText = () =>
    readdirSync(join(dataDir, 'logs'))
      .map((name) => readFileSync(join(dataDir, 'logs', name), 'utf8'))
      .join('');
  async function pingAll(endpoints: WebhookEndpoint[]): Promise<ReceivedWebhook[]> {
    const out: ReceivedWebhook[] = [];
    for (const [index, receiver] of receivers.entries()) {
      const endpoint = endpoints.find((e) => e.url === receiver.url)!;
      const pinged = await webhooks(dataDir, ['ping', endpoint.id]);
      expect(pinged.code, `${pinged.stdout}${pinged.stderr}`).toBe(0);
      out[index] = receiver.accepted().at(-1)!;
    }
    return out;
  }

  beforeAll(async () => {
    dataDir = freshDataDir();
    receivers = await Promise.all([0, 1, 2].map(() => startWebhookReceiver()));
    config = join(dataDir, 'till.json');
  });
  afterAll(async () => {
    delete process.env.TILL_TEST_HOOK_SECRET;
    await Promise.all(receivers.map((receiver) => receiver.close()));
  });

  it('creates the endpoints; a generated secret is printed once on stdout and never reaches the log file or the data dir', async () => {
    writeConfig(given);
    process.env.TILL_TEST_HOOK_SECRET = fromEnv;
    const serve = await startTillServe(dataDir, ['--config', config]);
    let generated = '';
    try {
      const lines = serve
        .output()
        .split('\n')
        .filter((line) => line.startsWith('New webhook secret'));
      expect(lines).toHaveLength(1);
      const match = new RegExp(
        `^New webhook secret for ${escape(receivers[2]!.url)} \\((whe_\\w+)\\), shown once — give it to your shop: (whsec_[A-Za-z0-9_-]{43})$`,
      ).exec(lines[0]!);
      expect(match).not.toBeNull();
      generated = match![2]!;
      expect(occurrences(serve.output(), generated)).toBe(1);
      expect(serve.output()).not.toContain(given);
      expect(serve.output()).not.toContain(fromEnv);

      const endpoints = await webhooksJson<WebhookEndpoint[]>(dataDir, ['list']);
      expect(
        receivers.map((receiver) => {
          const endpoint = endpoints.find((e) => e.url === receiver.url)!;
          return [endpoint.source, endpoint.events, endpoint.secrets.length];
        }),
      ).toEqual([
        ['config', ['*'], 1],
        ['config', ['invoice.confirmed'], 1],
        ['config', ['*'], 1],
      ]);
      receivers[0]!.secrets.push(given);
      receivers[1]!.secrets.push(fromEnv);
      receivers[2]!.secrets.push(generated);
      const pings = await pingAll(endpoints);
      expect(pings.map((r) => v1Count(r.headers['till-signature']))).toEqual([1, 1, 1]);
    } finally {
      await serve.stop();
    }
    expect(logText().length).toBeGreaterThan(0);
    expect(
      filesHolding(
        dataDir,
        [generated, given, fromEnv].map((s) => s.slice(6)),
      ),
    ).toEqual(['till.json']);
  });

  it('a second start with changed secrets rotates them in: both signatures during the overlap; an unchanged file rotates nothing', async () => {
    const newGiven = 'whsec_given-in-the-config-file-0002';
    const newFromEnv = 'whsec_from-the-environment-00000002';
    writeConfig(newGiven);
    process.env.TILL_TEST_HOOK_SECRET = newFromEnv;
    for (const start of ['changed', 'unchanged']) {
      const serve = await startTillServe(dataDir, ['--config', config]);
      try {
        expect(serve.output()).not.toMatch(/New webhook secret/);
        const endpoints = await webhooksJson<WebhookEndpoint[]>(dataDir, ['list']);
        expect(
          receivers.map((receiver) => endpoints.find((e) => e.url === receiver.url)!.secrets.length),
          start,
        ).toEqual([2, 2, 1]);
        if (start === 'unchanged') continue;
        receivers[0]!.secrets.splice(0, Infinity, newGiven);
        receivers[1]!.secrets.splice(0, Infinity, newFromEnv);
        const [first, second, third] = await pingAll(endpoints);
        for (const [received, old, fresh] of [
          [first!, given, newGiven],
          [second!, fromEnv, newFromEnv],
        ] as const) {
          expect(v1Count(received.headers['till-signature'])).toBe(2);
          expect(verifyTillWebhook(received.rawBody, received.headers['till-signature'], old)).toMatchObject({ type: 'ping' });
          expect(verifyTillWebhook(received.rawBody, received.headers['till-signature'], fresh)).toMatchObject({ type: 'ping' });
        }
        expect(v1Count(third!.headers['till-signature'])).toBe(1);
      } finally {
        await serve.stop();
      }
    }
    expect(logText()).not.toContain(newGiven.slice(6));
    expect(logText()).not.toContain(newFromEnv.slice(6));
  });
});
