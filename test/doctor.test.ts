import { copyFileSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createWalletClient, http, parseEther, type Address } from 'viem';
import { english, generateMnemonic, mnemonicToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../src/shared/doctor.ts';
import { databasePath } from '../src/main/engine/engine.ts';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { mine, nativeBalance, sendNative } from './fixtures/chain-actions.ts';
import { containsMnemonicRun } from './fixtures/cli.ts';
import { tempDataDir } from './fixtures/engine.ts';
import { waitFor } from './fixtures/ports.ts';
import { runTill, startTillServe, type TillServe } from './fixtures/till-serve.ts';

// Not the test mnemonic: its first deposit addresses are anvil's own prefunded accounts.
const WORDS = generateMnemonic(english);
const RPC_KEY = 'doctorRpcKey7f3a9c';
const HOOK_TOKEN = 'hookPathToken9b2e4d';
const HOOK_SECRET = 'whsec_doctorTestSecret0123456789abcdef';

interface Invoice {
  id: string;
  address: Address;
  status: string;
  derivationIndex: number;
}

describe('till doctor: each problem made for real, named with its remedy', () => {
  const home = tempDataDir('till-doctor-');
  let anvil: Anvil;
  let wrongChain: Anvil;
  let serve: TillServe;
  let apiKey: string;

  const doctor = async (dataDir = home.dir, extra: string[] = []) => {
    const result = await runTill(dataDir, ['doctor', '--json', ...extra]);
    expect(result.stderr).not.toMatch(/\n\s+at /); // a report, never a stack trace
    return { code: result.code, report: JSON.parse(result.stdout) as DoctorReport };
  };
  const check = (report: DoctorReport, id: string) => {
    const found = report.checks.find((candidate) => candidate.id === id);
    expect(found, `check ${id} in ${report.checks.map((c) => c.id).join(', ')}`).toBeDefined();
    return found!;
  };
  const api = async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${serve.url}/api/v1${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(response.ok, await response.clone().text()).toBe(true);
    return (await response.json()) as T;
  };
  const cursor = (): number => {
    const db = new BetterSqlite3(databasePath(home.dir), { readonly: true });
    try {
      return (db.prepare('SELECT block_number FROM scan_cursors WHERE chain_id = 31337').get() as { block_number: number })
        .block_number;
    } finally {
      db.close();
    }
  };
  const head = async () => Number(await anvil.rpc<string>('eth_blockNumber'));

  beforeAll(async () => {
    anvil = await startAnvil();
    // A real node on another chain id: the "wrong URL pasted into the chain's settings" case.
    wrongChain = await startAnvil({ chainId: 4242 });
    expect((await runTill(home.dir, ['wallet', 'import', '--keystore', 'file'], WORDS)).code).toBe(0);
    apiKey = (await runTill(home.dir, ['apikey', 'create', '--name', 'shop'])).stdout.trim();
    const hook = await runTill(home.dir, [
      'webhooks',
      'add',
      '--url',
      `http://127.0.0.1:9/hooks/${HOOK_TOKEN}`,
      '--secret',
      HOOK_SECRET,
    ]);
    expect(hook.code, hook.stderr).toBe(0);
    const config = join(home.dir, 'till.json');
    writeFileSync(
      config,
      JSON.stringify({
        chains: [
          {
            chainId: 31337,
            name: 'Anvil',
            rpcUrls: [`${anvil.rpcUrl}/?apikey=${RPC_KEY}`, wrongChain.rpcUrl],
            confirmations: 2,
            pollIntervalMs: 250,
            startBlock: 0,
          },
        ],
      }),
    );
    serve = await startTillServe(home.dir, ['--config', config]);
  });
  afterAll(async () => {
    await serve?.stop('SIGKILL');
    await anvil?.stop();
    await wrongChain?.stop();
    home.cleanup();
  });

  let paid: Invoice;
  let missed: Invoice;

  it('names the RPC URL on the wrong chain; a recorded payment reconciles', async () => {
    paid = await api<Invoice>('/invoices', { chainId: 31337, token: 'native', amount: '0.5' });
    await sendNative(anvil, { to: paid.address, value: parseEther('0.5') });
    await mine(anvil, 3);
    await waitFor(
      async () => (await api<Invoice>(`/invoices/${paid.id}`)).status === 'confirmed' || undefined,
      'the payment to be confirmed',
    );

    const { code, report } = await doctor();
    expect(code).toBe(1);
    expect(report.level).toBe('problem');
    expect(check(report, 'database.integrity').level).toBe('ok');
    expect(check(report, 'till.running').level).toBe('ok');
    expect(check(report, 'vault.unlock').level).toBe('ok');
    expect(check(report, 'vault.fingerprint').level).toBe('ok');
    expect(check(report, 'chain.31337.rpc.1').level).toBe('ok');
    const wrong = check(report, 'chain.31337.rpc.2');
    expect(wrong.level).toBe('problem');
    expect(wrong.remedy).toContain('This URL serves chain 4242, not 31337');
    const ledger = check(report, 'chain.31337.ledger');
    expect(ledger.level, ledger.detail).toBe('ok');
    expect(report.differences).toEqual([]);
    // The shop endpoint nobody answers has a check of its own, and its URL's path token is not shown.
    const hook = report.checks.find((candidate) => candidate.area === 'webhooks');
    expect(hook, 'a check for the webhook endpoint').toBeDefined();
    expect(hook!.title).not.toContain(HOOK_TOKEN);
  });

  it('finds a payment made while scanning was paused past its window, and a deposit emptied with its key', async () => {
    expect((await runTill(home.dir, ['chains', 'pause', '--chain-id', '31337'])).code).toBe(0);
    missed = await api<Invoice>('/invoices', {
      chainId: 31337,
      token: 'native',
      amount: '0.2',
      expiresInSeconds: 1,
      monitoringWindowSeconds: 0,
    });
    await waitFor(
      async () => (await api<Invoice>(`/invoices/${missed.id}`)).status === 'expired' || undefined,
      'the invoice to expire',
    );
    await sendNative(anvil, { to: missed.address, value: parseEther('0.2') });

    // The first deposit's key, from the words alone (m/44'/60'/0'/0/i), moves coin out behind Till's back.
    const key = mnemonicToAccount(WORDS, { addressIndex: paid.derivationIndex });
    expect(key.address).toBe(paid.address);
    const wallet = createWalletClient({ account: key, transport: http(anvil.rpcUrl) });
    await wallet.sendTransaction({ to: '0x000000000000000000000000000000000000dEaD', value: parseEther('0.3'), chain: null });
    await mine(anvil, 3);
    const left = await nativeBalance(anvil, paid.address);
    expect(left).toBeLessThan(parseEther('0.2'));

    // Scanning stays paused: the doctor compares the blocks after the cursor too.
    const pausedAt = cursor();
    expect(await head()).toBeGreaterThan(pausedAt);

    const bundle = join(home.dir, 'support.json');
    const { code, report } = await doctor(home.dir, ['--bundle', bundle]);
    expect(code).toBe(1);
    const ledger = check(report, 'chain.31337.ledger');
    expect(ledger.level).toBe('problem');
    expect(ledger.detail).toContain('2 of');
    const more = report.differences.find((d) => d.address.toLowerCase() === missed.address.toLowerCase());
    expect(more).toMatchObject({ chainId: 31337, token: 'ETH', invoiceId: missed.id, expected: '0', actual: '0.2' });
    expect(more!.kind).toBe('more');
    expect(more!.remedy).toContain(`after block ${pausedAt}, where scanning was paused`);
    expect(more!.remedy).toContain('till chains resume --chain-id 31337');
    expect(more!.remedy).toContain(`till invoices recheck ${missed.id}`);
    const less = report.differences.find((d) => d.address.toLowerCase() === paid.address.toLowerCase());
    expect(less).toMatchObject({ invoiceId: paid.id, expected: '0.5', kind: 'less' });
    expect(less!.remedy).toContain('funds left this address in a transaction Till did not sign');

    // The human report: one line per check, the remedy under each problem, a non-zero exit.
    const text = await runTill(home.dir, ['doctor']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/PROBLEM {2}Anvil \(31337\): ledger: /);
    expect(text.stdout).toContain(`→ This arrived after block ${pausedAt}`);
    expect(text.stdout).toMatch(/\d+ problem\(s\), \d+ warning\(s\)/);

    // The bundle is for someone else's eyes: no words, no API key, no webhook secret, no URL credential.
    const contents = readFileSync(bundle, 'utf8');
    const parsed = JSON.parse(contents) as { report: DoctorReport; rowCounts: Record<string, number>; logs: unknown[] };
    expect(parsed.report.differences).toHaveLength(2);
    expect(parsed.rowCounts.invoices).toBe(2);
    expect(parsed.logs.length).toBeGreaterThan(0);
    expect(containsMnemonicRun(contents, WORDS)).toBe(false);
    for (const secret of [apiKey, HOOK_SECRET, RPC_KEY, HOOK_TOKEN]) expect(contents).not.toContain(secret);
    expect(contents).not.toMatch(/whsec_/);
    expect(contents).not.toMatch(/till_(live|test)?_?[A-Za-z0-9]{20,}/);
  });

  it('the remedy works: a recheck records the missed payment and the address reconciles', async () => {
    const recheck = await runTill(home.dir, ['invoices', 'recheck', missed.id]);
    expect(recheck.code, recheck.stderr).toBe(0);
    expect((await doctor()).report.differences.map((d) => d.invoiceId)).toEqual([paid.id]);

    // Scanning resumes over the same blocks: the recorded payment is not counted twice.
    expect((await runTill(home.dir, ['chains', 'resume', '--chain-id', '31337'])).code).toBe(0);
    const target = await head();
    await waitFor(() => cursor() >= target - 2 || undefined, 'the scanner to pass the payment');
    const { report } = await doctor();
    expect(report.differences.map((d) => d.invoiceId)).toEqual([paid.id]);
    expect(check(report, 'chain.31337.scan').level).toBe('ok');
  });

  it('a corrupted page in a copy of the database is a problem with the restore remedy, reported without opening the store', async () => {
    await serve.stop('SIGTERM');
    const copy = tempDataDir('till-doctor-copy-');
    try {
      mkdirSync(copy.dir, { recursive: true });
      copyFileSync(databasePath(home.dir), databasePath(copy.dir));
      const fd = openSync(databasePath(copy.dir), 'r+');
      const noise = Buffer.alloc(4096 * 5);
      for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919 + 13) % 251;
      writeSync(fd, noise, 0, noise.length, 4096);
      closeSync(fd);
      const { code, report } = await doctor(copy.dir);
      expect(code).toBe(1);
      const integrity = check(report, 'database.integrity');
      expect(integrity.level).toBe('problem');
      expect(integrity.remedy).toContain('till restore FILE');
    } finally {
      copy.cleanup();
    }
  });

  it('a stopped node: the URL does not answer and the chain is not scanned', async () => {
    await anvil.stop();
    const { code, report } = await doctor();
    expect(code).toBe(1);
    expect(check(report, 'till.running').level).toBe('warning');
    const rpc = check(report, 'chain.31337.rpc.1');
    expect(rpc.level).toBe('problem');
    expect(rpc.title).not.toContain(RPC_KEY);
    expect(rpc.title).toContain('apikey=***');
    expect(rpc.remedy).toContain('till chains test-rpc');
    const scan = check(report, 'chain.31337.scan');
    expect(scan.level).toBe('problem');
    expect(scan.detail).toContain('No RPC endpoint answers');
  });
});
