import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEther } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookEventTypes } from '../src/shared/webhooks.ts';
import { signatureHeader } from '../src/main/engine/webhooks/webhook-signature.ts';
import {
  DELIVERY_WINDOW_MS,
  RETRY_DELAYS_MS,
  RETRY_HOURLY_MS,
  RETRY_JITTER,
} from '../src/main/engine/webhooks/retry-schedule.ts';
import { RESPONSE_BODY_LIMIT, WEBHOOK_TIMEOUT_MS } from '../src/main/engine/webhooks/send-webhook.ts';
import { verifyTillWebhook } from '../examples/webhooks/verify-till-signature.mjs';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { anvilAccounts, mine, reorg, sendNative } from './fixtures/chain-actions.ts';
import { REPO_ROOT } from './fixtures/cli.ts';
import { startDetectionEngine, type DetectionEngine } from './fixtures/detection.ts';
import { waitFor } from './fixtures/ports.ts';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from './fixtures/webhook-receiver.ts';

/**
 * docs/WEBHOOKS.md stays true: its verification code is the helper file, its openssl recipe
 * verifies a real delivery, and its event catalogue matches what a real engine sends.
 * TILL_UPDATE_DOCS=1 rewrites the catalogue's examples from this run (then run prettier on the file).
 */
const DOC_PATH = join(REPO_ROOT, 'docs', 'WEBHOOKS.md');
const HELPER_PATH = join(REPO_ROOT, 'examples', 'webhooks', 'verify-till-signature.mjs');
const doc = () => readFileSync(DOC_PATH, 'utf8');

/** The fenced code block after a marker comment, without its fences. */
function blockAfter(text: string, marker: string): string {
  const at = text.indexOf(marker);
  expect(at, `marker ${marker} in docs/WEBHOOKS.md`).toBeGreaterThan(-1);
  const match = /```[a-z]*\n([\s\S]*?)\n```/.exec(text.slice(at));
  expect(match, `a code block after ${marker}`).not.toBeNull();
  return match![1]!;
}

/** Each `### \`type\`` of the event catalogue with its first ```json block (and where that block's content is). */
function catalogue(text: string): Map<string, { json: string; start: number; end: number }> {
  const section = text.indexOf('## Event catalogue');
  expect(section).toBeGreaterThan(-1);
  const out = new Map<string, { json: string; start: number; end: number }>();
  const heading = /^### `([a-z_.]+)`$/gm;
  heading.lastIndex = section;
  for (let match = heading.exec(text); match; match = heading.exec(text)) {
    const fence = text.indexOf('```json\n', match.index);
    const start = fence + '```json\n'.length;
    const end = text.indexOf('\n```', start);
    out.set(match[1]!, { json: text.slice(start, end), start, end });
  }
  return out;
}

/** Field names and value kinds, recursively: what a shop's parser depends on. */
function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((key) => [key, shapeOf((value as Record<string, unknown>)[key])]),
    );
  return typeof value;
}

interface Delivered {
  type: string;
  sequence: number;
  data: { invoice?: { status: string; exceptionStatus: string | null; payments: { status: string }[] } };
}
/** The states an example must show as the real event does. */
const statesOf = (event: Delivered) => ({
  type: event.type,
  sequence: event.sequence,
  status: event.data.invoice?.status,
  exceptionStatus: event.data.invoice?.exceptionStatus,
  payments: event.data.invoice?.payments.map((payment) => payment.status),
});

it('the Node verification code in docs/WEBHOOKS.md is exactly examples/webhooks/verify-till-signature.mjs', () => {
  expect(`${blockAfter(doc(), '<!-- verify-till-signature.mjs')}\n`).toBe(readFileSync(HELPER_PATH, 'utf8'));
});

it('the retry schedule, timeout and limits docs/WEBHOOKS.md states are the engine’s', () => {
  expect([RETRY_DELAYS_MS, RETRY_HOURLY_MS, DELIVERY_WINDOW_MS, RETRY_JITTER]).toEqual([
    [10_000, 60_000, 300_000, 1_800_000],
    3_600_000,
    3 * 24 * 3_600_000,
    0.2,
  ]);
  expect([WEBHOOK_TIMEOUT_MS, RESPONSE_BODY_LIMIT]).toEqual([10_000, 4096]);
  const text = doc().replace(/\s+/g, ' ');
  expect(text).toContain('about **10 s, 1 min, 5 min, 30 min, then every hour**, for up to **3 days**');
  expect(text).toContain('jittered by ±20 %');
  expect(text).toContain('a 2xx answer within 10 seconds');
  expect(text).toContain('the first 4 KiB of your response body');
  expect(text).toContain('more than **5 minutes** (300 s)');
  expect(readFileSync(HELPER_PATH, 'utf8')).toContain('toleranceSeconds = 300');
});

describe('docs/WEBHOOKS.md against a real engine run', { timeout: 180_000 }, () => {
  let anvil: Anvil;
  let till: DetectionEngine;
  let receiver: WebhookReceiver;
  let secret = '';
  /** The real delivery the catalogue shows for each event type. */
  const real = new Map<string, ReceivedWebhook>();

  beforeAll(async () => {
    anvil = await startAnvil();
    till = await startDetectionEngine(anvil, { confirmations: 2 });
    receiver = await startWebhookReceiver();
    const created = await till.engine.invoke('webhooks.create', { url: receiver.url, description: 'docs' });
    secret = created.secret;
    receiver.secrets.push(secret);
    const create = (amount: string, extra: Record<string, unknown> = {}) =>
      till.engine.invoke('invoices.create', { chainId: anvil.chainId, token: 'native', amount, ...extra });
    // Not anvil's first account: that is also the test wallet's first deposit address.
    const customer = (await anvilAccounts(anvil))[5]!;
    const pay = (invoice: { address: string }, amount: string) =>
      sendNative(anvil, { from: customer, to: invoice.address as `0x${string}`, value: parseEther(amount) });

    // created → payment_received → detected (1 block deep) → confirmed (2 deep) → swept → settled
    await till.engine.invoke('wallet.setTreasury', { address: '0x000000000000000000000000000000000000dEaD' });
    const paid = await create('0.05', { orderId: 'order-1042', metadata: { customer: 'c-17' } });
    await pay(paid, '0.05');
    await till.until(paid.id, (i) => i.status === 'detected', 'detected');
    await mine(anvil, 1);
    await till.until(paid.id, (i) => i.status === 'confirmed', 'confirmed');
    await till.until(paid.id, (i) => i.status === 'settled' || (void mine(anvil, 1), false), 'settled');
    // expired, then paid in full within the monitoring window → paid_late
    const late = await create('0.02', { orderId: 'order-1043', expiresInSeconds: 1, monitoringWindowSeconds: 3600 });
    await till.until(late.id, (i) => i.status === 'expired', 'expired');
    // anvil stamps blocks with the wall clock's second: make the paying block's time lie past the expiry.
    const latest = await anvil.rpc<{ timestamp: string }>('eth_getBlockByNumber', ['latest', false]);
    const afterExpiry = Math.ceil(Date.parse(late.expiresAt) / 1000) + 1;
    await anvil.rpc('evm_setNextBlockTimestamp', [Math.max(afterExpiry, Number(BigInt(latest.timestamp)) + 1)]);
    await pay(late, '0.02');
    await till.until(late.id, (i) => i.exceptionStatus === 'paid_late', 'paid late');
    // detected, then a reorg drops the payment's block → reverted
    const undone = await create('0.03', { orderId: 'order-1044' });
    await pay(undone, '0.03');
    await till.until(undone.id, (i) => i.status === 'detected', 'detected before the reorg');
    await reorg(anvil, 1);
    await till.until(undone.id, (i) => i.status === 'pending', 'reverted');
    const cancelled = await create('0.04', { orderId: 'order-1045' });
    await till.engine.invoke('invoices.markInvalid', { id: cancelled.id, reason: 'customer cancelled the order' });
    const cash = await create('0.06', { orderId: 'order-1046' });
    await till.engine.invoke('invoices.markPaid', { id: cash.id, reason: 'paid in cash at the counter' });
    await till.engine.invoke('webhooks.ping', { id: created.endpoint.id });

    const from = (invoiceId: string | null, type: string) =>
      receiver.accepted().find((r) => r.event!.type === type && (r.event!.data.invoice?.id ?? null) === invoiceId);
    const wanted: [string, string | null][] = [
      ['invoice.created', paid.id],
      ['invoice.payment_received', paid.id],
      ['invoice.detected', paid.id],
      ['invoice.confirmed', paid.id],
      ['invoice.settled', paid.id],
      ['invoice.expired', late.id],
      ['invoice.paid_late', late.id],
      ['invoice.reverted', undone.id],
      ['invoice.invalid', cancelled.id],
      ['invoice.marked_paid', cash.id],
      ['ping', null],
    ];
    await waitFor(() => wanted.every(([type, invoiceId]) => from(invoiceId, type)), 'a delivery of every event type');
    for (const [type, invoiceId] of wanted) real.set(type, from(invoiceId, type)!);
  });
  afterAll(async () => {
    await till?.close();
    await receiver?.close();
    await anvil?.stop();
  });

  it('the event catalogue has every event type, each with an example shaped like the real event and in the same states', () => {
    if (process.env.TILL_UPDATE_DOCS) {
      let text = doc();
      const blocks = [...catalogue(text).entries()].sort((a, b) => b[1].start - a[1].start);
      for (const [type, block] of blocks) {
        const example = real.get(type);
        if (example)
          text = text.slice(0, block.start) + JSON.stringify(JSON.parse(example.rawBody), null, 2) + text.slice(block.end);
      }
      writeFileSync(DOC_PATH, text);
    }
    const examples = catalogue(doc());
    expect([...examples.keys()].sort()).toEqual([...WebhookEventTypes].sort());
    expect([...real.keys()].sort()).toEqual([...WebhookEventTypes].sort());
    for (const [type, block] of examples) {
      const example = JSON.parse(block.json) as Delivered;
      const sent = JSON.parse(real.get(type)!.rawBody) as Delivered;
      expect(shapeOf(example), type).toEqual(shapeOf(sent));
      expect(statesOf(example), type).toEqual(statesOf(sent));
    }
  });

  const openssl = (() => {
    try {
      execFileSync('bash', ['-c', 'command -v openssl'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!openssl) console.log('skip: openssl is not installed here, so the shell recipe in docs/WEBHOOKS.md is not run');

  it.skipIf(!openssl)(
    'the openssl recipe accepts a real signed delivery, and rejects a tampered body, a wrong secret and a stale timestamp',
    () => {
      const recipe = blockAfter(doc(), '<!-- openssl-recipe');
      const delivered = real.get('invoice.confirmed')!;
      const dir = mkdtempSync(join(tmpdir(), 'till-openssl-'));
      const run = (body: string, header: string, key = secret) => {
        writeFileSync(join(dir, 'body.json'), body);
        writeFileSync(join(dir, 'header.txt'), `${header}\n`);
        return execFileSync('sh', ['-c', recipe], {
          cwd: dir,
          env: { PATH: process.env.PATH, TILL_WEBHOOK_SECRET: key },
        }).toString();
      };
      try {
        const header = delivered.headers['till-signature']!;
        expect(run(delivered.rawBody, header)).toMatch(/^signature: valid\ntimestamp: fresh \(-?\d+ s old\)\n$/);
        expect(run(delivered.rawBody.replace('"confirmed"', '"confirmeD"'), header)).toMatch(/^signature: INVALID\n/);
        expect(run(delivered.rawBody, header, `${secret}x`)).toMatch(/^signature: INVALID\n/);
        // Signed by Till's own signer, as during a rotation (two v1=) and ten minutes ago.
        const t = Math.floor(Date.now() / 1000);
        const rotating = signatureHeader(['whsec_the-other-secret-of-a-rotation', secret], t, delivered.rawBody);
        expect(run(delivered.rawBody, rotating)).toMatch(/^signature: valid\ntimestamp: fresh/);
        const stale = signatureHeader([secret], t - 600, delivered.rawBody);
        expect(run(delivered.rawBody, stale)).toMatch(/^signature: valid\ntimestamp: STALE \(\d+ s old\)\n$/);
        expect(() => verifyTillWebhook(delivered.rawBody, stale, secret)).toThrow(/too old/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
