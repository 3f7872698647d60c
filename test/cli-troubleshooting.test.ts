import { parseEther } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { mine, sendNative } from './fixtures/chain-actions.ts';
import { tempDataDir, TEST_MNEMONIC } from './fixtures/engine.ts';
import { waitFor } from './fixtures/ports.ts';
import { runTill, startTillServe, writeAnvilConfig, type TillServe } from './fixtures/till-serve.ts';

/** The troubleshooting commands against a data dir that a running `till serve` uses at the same time. */
describe('till chains / invoices / alerts while till serve runs', () => {
  const data = tempDataDir();
  let anvil: Anvil;
  let serve: TillServe;
  let key = '';

  const db = () => new BetterSqlite3(join(data.dir, 'till.db'), { readonly: true });
  const api = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${serve.url}/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    });
    return (await response.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    anvil = await startAnvil();
    expect((await runTill(data.dir, ['wallet', 'import', '--keystore', 'file'], TEST_MNEMONIC)).code).toBe(0);
    key = (await runTill(data.dir, ['apikey', 'create', '--name', 'shop'])).stdout.trim();
    serve = await startTillServe(data.dir, ['--config', writeAnvilConfig(data.dir, anvil.rpcUrl)]);
  });
  afterAll(async () => {
    await serve?.stop();
    await anvil?.stop();
    data.cleanup();
  });

  it('pause stops scanning, a payment made meanwhile is found after resume', async () => {
    const paused = await runTill(data.dir, ['chains', 'pause', '--chain-id', '31337']);
    expect(paused.stdout).toContain('paused');
    const invoice = (await api('/invoices', {
      method: 'POST',
      body: JSON.stringify({ chainId: 31337, token: 'native', amount: '0.2' }),
    })) as { id: string; address: `0x${string}` };
    await sendNative(anvil, { to: invoice.address, value: parseEther('0.2') });
    await mine(anvil, 3);
    const health = JSON.parse((await runTill(data.dir, ['chains', 'health', '--json'])).stdout) as { state: string }[];
    expect(health[0]!.state).toBe('paused');
    expect((await api(`/invoices/${invoice.id}`)).status).toBe('pending');
    expect((await runTill(data.dir, ['chains', 'resume', '--chain-id', '31337'])).code).toBe(0);
    await waitFor(async () => (await api(`/invoices/${invoice.id}`)).status === 'confirmed', 'confirmed after resume');
  });

  it('rescan from block 0 counts nothing twice', async () => {
    const before = db().prepare('SELECT COUNT(*) AS n FROM payments').get() as { n: number };
    const events = db().prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number };
    const rescan = await runTill(data.dir, ['chains', 'rescan', '--chain-id', '31337', '--from-block', '0']);
    expect(rescan.code, rescan.stderr).toBe(0);
    const head = Number(BigInt(await anvil.rpc<string>('eth_blockNumber')));
    await waitFor(
      () => (db().prepare('SELECT block_number AS b FROM scan_cursors').get() as { b: number }).b >= head,
      'the rescan to reach the head',
    );
    expect((db().prepare('SELECT COUNT(*) AS n FROM payments').get() as { n: number }).n).toBe(before.n);
    expect((db().prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n).toBe(events.n);
    const log = db().prepare("SELECT actor, action FROM operator_log WHERE action = 'chain.rescan'").all() as { actor: string }[];
    expect(log).toHaveLength(1);
    expect(log[0]!.actor).toMatch(/^cli/);
  });

  it('a rescan past the scanned block is refused with a clear message and changes nothing', async () => {
    const result = await runTill(data.dir, ['chains', 'rescan', '--chain-id', '31337', '--from-block', '999999']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/past the last scanned block/);
  });

  it('mark-paid and mark-invalid are audited; recheck finds nothing new on a paid invoice', async () => {
    const invoice = (await api('/invoices', {
      method: 'POST',
      body: JSON.stringify({ chainId: 31337, token: 'native', amount: '3' }),
    })) as { id: string };
    const paid = await runTill(data.dir, ['invoices', 'mark-paid', invoice.id, '--reason', 'paid in cash at the counter']);
    expect(paid.stdout).toContain('confirmed');
    const other = (await api('/invoices', {
      method: 'POST',
      body: JSON.stringify({ chainId: 31337, token: 'native', amount: '3' }),
    })) as { id: string };
    expect((await runTill(data.dir, ['invoices', 'mark-invalid', other.id, '--reason', 'customer cancelled'])).stdout).toContain(
      'invalid',
    );
    expect((await runTill(data.dir, ['invoices', 'mark-invalid', other.id, '--reason', 'again'])).code).toBe(2);
    const recheck = await runTill(data.dir, ['invoices', 'recheck', invoice.id]);
    expect(recheck.stdout, recheck.stderr).toContain('0 new payment(s) found');
    const actions = db().prepare('SELECT action FROM operator_log ORDER BY id').all() as { action: string }[];
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['invoice.mark_paid', 'invoice.mark_invalid', 'invoice.recheck']),
    );
    const events = db().prepare('SELECT type FROM events WHERE invoice_id = ? ORDER BY sequence').all(invoice.id) as {
      type: string;
    }[];
    expect(events.map((e) => e.type)).toEqual(['invoice.created', 'invoice.marked_paid']);
  });

  it('test-rpc names a chain id mismatch', async () => {
    const result = await runTill(data.dir, ['chains', 'test-rpc', '--chain-id', '1', '--url', anvil.rpcUrl]);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/31337/);
  });

  it('test-rpc checks a ws:// URL (newHeads included) and exits', async () => {
    const url = anvil.rpcUrl.replace(/^http/, 'ws');
    const result = await runTill(data.dir, ['chains', 'test-rpc', '--chain-id', '31337', '--url', url]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('OK');
    expect(result.stdout).not.toMatch(/^- /m);
  });
});
