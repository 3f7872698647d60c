import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { mnemonicToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containsMnemonicRun, REPO_ROOT, runTill, spawnTill } from './fixtures/cli.ts';
import { tempDataDir, TEST_MNEMONIC } from './fixtures/engine.ts';
import { waitFor } from './fixtures/ports.ts';

const ANVIL_CONFIG = join(REPO_ROOT, 'examples', 'anvil.yaml');

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.splice(0).forEach((cleanup) => cleanup()));
function freshDataDir(): string {
  const { dir, cleanup } = tempDataDir('till-cli-');
  cleanups.push(cleanup);
  return dir;
}

/** Every log line written under <dataDir>/logs, raw. */
function logText(dataDir: string): string {
  const dir = join(dataDir, 'logs');
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .map((name) => readFileSync(join(dir, name), 'utf8'))
    .join('');
}

const printedAddresses = (stdout: string): string[] =>
  [...stdout.matchAll(/^\s+(\d+)\s+(0x[0-9a-fA-F]{40})$/gm)].map((match) => match[2]!);

it('runs under a Node that can run till', () => {
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  expect(major > 22 || (major === 22 && minor >= 18)).toBe(true);
});

describe('till wallet', () => {
  let dataDir: string;
  let mnemonic: string;
  let fingerprint: string;
  let createdStdout: string;

  beforeAll(async () => {
    dataDir = freshDataDir();
    const created = await runTill(['wallet', 'create', '--keystore', 'file'], { dataDir });
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    // The words are printed in four columns, numbered down each column.
    const numbered = [...created.stdout.matchAll(/(\d+)\.\s+([a-z]+)/g)].map((match) => [Number(match[1]), match[2]!] as const);
    mnemonic = numbered
      .sort(([a], [b]) => a - b)
      .map(([, word]) => word)
      .join(' ');
    fingerprint = /Fingerprint: ([0-9a-f]{8})/.exec(created.stdout)![1]!;
    createdStdout = created.stdout;
  });

  it('create prints 24 valid recovery words, numbered 1 to 24, with a warning', () => {
    expect(mnemonic.split(' ')).toHaveLength(24);
    expect(validateMnemonic(mnemonic, english)).toBe(true);
    expect(createdStdout).toMatch(/ONLY way to recover/);
    expect(createdStdout).toMatch(/Anyone who sees them can take your money/);
    expect(createdStdout).toMatch(/Fingerprint: [0-9a-f]{8}\s+Keystore: file/);
    expect(existsSync(join(dataDir, 'keystore.till-vault'))).toBe(true);
  });

  it('show prints the fingerprint and the first addresses, never the words', async () => {
    const shown = await runTill(['wallet', 'show'], { dataDir });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`Fingerprint:  ${fingerprint}`);
    expect(shown.stdout).toContain('Keystore:     file');
    const addresses = printedAddresses(shown.stdout);
    expect(addresses).toEqual([0, 1, 2, 3, 4].map((addressIndex) => mnemonicToAccount(mnemonic, { addressIndex }).address));
    expect(containsMnemonicRun(shown.stdout + shown.stderr, mnemonic)).toBe(false);
  });

  it('show --count 2 prints two addresses', async () => {
    const shown = await runTill(['wallet', 'show', '--count', '2'], { dataDir });
    expect(printedAddresses(shown.stdout)).toHaveLength(2);
  });

  it('create again fails with exit code 2 and WALLET_EXISTS, keeping the wallet', async () => {
    const again = await runTill(['wallet', 'create', '--keystore', 'file'], { dataDir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^Error \[WALLET_EXISTS\]: A wallet already exists/);
    expect(again.stdout).not.toMatch(/\d+\.\s+[a-z]+/);
    const shown = await runTill(['wallet', 'show'], { dataDir });
    expect(shown.stdout).toContain(`Fingerprint:  ${fingerprint}`);
  });

  it('writes no run of three recovery words to its log file', () => {
    const logs = logText(dataDir);
    expect(logs.length).toBeGreaterThan(0);
    expect(containsMnemonicRun(logs, mnemonic)).toBe(false);
  });

  it('import reads the words from standard input and derives the known addresses', async () => {
    const other = freshDataDir();
    const imported = await runTill(['wallet', 'import', '--keystore', 'file'], {
      dataDir: other,
      input: `  ${TEST_MNEMONIC.replace(/ /g, '\n')}\n`,
    });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^Wallet imported\. Fingerprint: [0-9a-f]{8}\s+Keystore: file\n$/);
    expect(containsMnemonicRun(imported.stdout, TEST_MNEMONIC)).toBe(false);

    const shown = await runTill(['wallet', 'show'], { dataDir: other });
    expect(printedAddresses(shown.stdout)).toEqual(
      [0, 1, 2, 3, 4].map((addressIndex) => mnemonicToAccount(TEST_MNEMONIC, { addressIndex }).address),
    );
    expect(shown.stdout).toContain(`Fingerprint:  ${/Fingerprint: ([0-9a-f]{8})/.exec(imported.stdout)![1]}`);
    expect(containsMnemonicRun(logText(other), TEST_MNEMONIC)).toBe(false);
  });

  it.each([
    ['a bad checksum', 'test test test test test test test test test test test test', /checksum does not match/],
    ['eleven words', 'test test test test test test test test test test junk', /12, 15, 18, 21 or 24 words, but this one has 11/],
    ['a word not in the list', 'test test test test test test test test test test tset junk', /word 11 \("tset"\)/],
    ['nothing', '', /enter the recovery words|this one has 0/],
  ])('import refuses %s with exit code 2, a clear message, and no wallet', async (_name, input, hint) => {
    const other = freshDataDir();
    const imported = await runTill(['wallet', 'import', '--keystore', 'file'], { dataDir: other, input });
    expect(imported.code).toBe(2);
    expect(imported.stderr).toMatch(/^Error \[(MNEMONIC_INVALID|VALIDATION_FAILED)\]: /);
    expect(imported.stderr).toMatch(hint);
    expect(imported.stdout).toBe('');
    const shown = await runTill(['wallet', 'show'], { dataDir: other });
    expect(shown.code).toBe(3);
    expect(shown.stdout).toMatch(/No wallet yet/);
  });

  it('create without TILL_PASSPHRASE and no terminal refuses with VAULT_LOCKED and stores nothing', async () => {
    const other = freshDataDir();
    const created = await runTill(['wallet', 'create', '--keystore', 'file'], { dataDir: other, passphrase: null });
    expect(created.code).toBe(2);
    expect(created.stderr).toMatch(/^Error \[VAULT_LOCKED\]: .*TILL_PASSPHRASE/);
    expect(created.stdout).not.toMatch(/\d+\.\s+[a-z]+/);
    expect((await runTill(['wallet', 'show'], { dataDir: other })).code).toBe(3);
  });

  it('refuses an unknown --keystore with exit code 2', async () => {
    const result = await runTill(['wallet', 'create', '--keystore', 'floppy'], { dataDir: freshDataDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--keystore must be os, file or auto/);
  });
});

describe('till apikey', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = freshDataDir();
  });

  it('create prints the key alone on stdout, list shows it without the secret, revoke revokes it', async () => {
    const created = await runTill(
      ['apikey', 'create', '--name', 'shop', '--scope', 'invoices:read', '--scope', 'invoices:write'],
      { dataDir },
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^till_sk_[A-Za-z0-9_-]{43}\n$/);
    const secret = created.stdout.trim();
    const id = /Key (key_[0-9A-Z]+) \(invoices:read, invoices:write\) created\. Copy it now/.exec(created.stderr)?.[1];
    expect(id).toBeDefined();
    expect(created.stderr).not.toContain(secret);

    const listed = await runTill(['apikey', 'list'], { dataDir });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(`^${id}  till_sk_.{6}…  shop  \\[invoices:read, invoices:write\\]  created \\S+  last used never$`, 'm'),
    );
    expect(listed.stdout).not.toContain(secret);
    expect(listed.stdout).toContain(secret.slice(0, 14));

    const json = await runTill(['apikey', 'list', '--json'], { dataDir });
    const keys = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(keys).toHaveLength(1);
    expect(Object.keys(keys[0]!).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'scopes']);
    expect(json.stdout).not.toContain(secret);

    const revoked = await runTill(['apikey', 'revoke', id!], { dataDir });
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`^Revoked ${id} \\(shop\\) at \\S+\\.\\n$`));
    expect((await runTill(['apikey', 'list'], { dataDir })).stdout).toMatch(new RegExp(`^${id} .* revoked \\S+$`, 'm'));
    expect(logText(dataDir)).not.toContain(secret);
  });

  it('create defaults to the invoices:read and invoices:write scopes', async () => {
    const created = await runTill(['apikey', 'create', '--name', 'default scopes'], { dataDir: freshDataDir() });
    expect(created.code).toBe(0);
    expect(created.stderr).toMatch(/\(invoices:read, invoices:write\) created/);
  });

  it('refuses an unknown scope with a message listing the scopes, creating no key', async () => {
    const other = freshDataDir();
    const created = await runTill(['apikey', 'create', '--name', 'shop', '--scope', 'invoices:delete'], { dataDir: other });
    expect(created.code).not.toBe(0);
    expect(created.stderr).toMatch(/Unknown scope "invoices:delete"\. Scopes: invoices:read, invoices:write, admin\./);
    expect(created.stdout).not.toMatch(/till_sk_/);
    expect((await runTill(['apikey', 'list'], { dataDir: other })).stdout).toMatch(/No API keys/);
  });

  it('refuses create without --name', async () => {
    const created = await runTill(['apikey', 'create'], { dataDir: freshDataDir() });
    expect(created.code).not.toBe(0);
    expect(created.stderr).toMatch(/--name/);
    expect(created.stdout).toBe('');
  });

  it('refuses to revoke an unknown id with exit code 2', async () => {
    const revoked = await runTill(['apikey', 'revoke', 'key_NOPE'], { dataDir });
    expect(revoked.code).toBe(2);
    expect(revoked.stderr).toMatch(/^Error \[API_KEY_NOT_FOUND\]: No API key with id key_NOPE/);
  });
});

describe('till config check', () => {
  it('accepts examples/anvil.yaml', async () => {
    const result = await runTill(['config', 'check', ANVIL_CONFIG], { dataDir: freshDataDir() });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `${ANVIL_CONFIG} is valid: 1 chain(s), 0 webhook(s), treasury 0x70997970C51812dc3A010C7d01b50e0d17dc79C8.\n`,
    );
  });

  it('refuses a broken file with exit code 2 and the path inside it', async () => {
    const dir = freshDataDir();
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, readFileSync(ANVIL_CONFIG, 'utf8').replace('confirmations: 2', 'confirmations: "two"'));
    const result = await runTill(['config', 'check', file], { dataDir: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(`^Error \\[CONFIG_INVALID\\]: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: chains\\[0\\]\\.confirmations: `),
    );
    expect(result.stdout).toBe('');
  });

  it('refuses a missing file with exit code 2', async () => {
    const result = await runTill(['config', 'check', '/nonexistent/till.yaml'], { dataDir: freshDataDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/CONFIG_INVALID.*\/nonexistent\/till\.yaml: cannot read the file \(ENOENT\)/);
  });

  it('refuses a webhook whose secretEnv is not set, and accepts it once it is', async () => {
    const dir = freshDataDir();
    const file = join(dir, 'hooks.json');
    writeFileSync(
      file,
      JSON.stringify({ chains: [], webhooks: [{ url: 'https://shop.example/hook', secretEnv: 'TILL_TEST_HOOK_SECRET' }] }),
    );
    const missing = await runTill(['config', 'check', file], { dataDir: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/webhooks\[0\]\.secretEnv: the environment variable TILL_TEST_HOOK_SECRET is not set/);
    const set = await runTill(['config', 'check', file], { dataDir: dir, env: { TILL_TEST_HOOK_SECRET: 'x'.repeat(32) } });
    expect(set.code).toBe(0);
  });
});

describe('till serve', () => {
  it('refuses a broken config with exit code 2 before creating anything', async () => {
    const dir = freshDataDir();
    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      'chains:\n  - chainId: 1\n    name: X\n    rpcUrls: ["gopher://x"]\n    confirmations: 1\n    pollIntervalMs: 1000\n',
    );
    const result = await runTill(['serve', '--config', file, '--port', '0', '--keystore', 'file'], { dataDir: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/CONFIG_INVALID.*chains\[0\]\.rpcUrls\[0\]: an RPC URL must start with/);
    expect(existsSync(join(dir, 'till.db'))).toBe(false);
  });

  it('refuses a port out of range', async () => {
    const result = await runTill(['serve', '--port', '70000'], { dataDir: freshDataDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--port must be a whole number from 0 to 65535/);
  });

  it('serves the API and UI on the port it prints, and stops cleanly on SIGTERM without logging secrets', async () => {
    const dataDir = freshDataDir();
    expect((await runTill(['wallet', 'import', '--keystore', 'file'], { dataDir, input: TEST_MNEMONIC })).code).toBe(0);
    const apiKey = (await runTill(['apikey', 'create', '--name', 'shop'], { dataDir })).stdout.trim();
    expect(apiKey).toMatch(/^till_sk_/);

    const child = spawnTill(['serve', '--config', ANVIL_CONFIG, '--port', '0', '--keystore', 'file'], { dataDir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      const banner = await new Promise<RegExpExecArray>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner within 20 s; stdout: ${stdout}; stderr: ${stderr}`)), 20_000);
        const check = () => {
          const match = /^Till is running\. Open the UI: (http:\/\/127\.0\.0\.1:(\d+))\/\?token=([A-Za-z0-9_-]+)$/m.exec(stdout);
          if (match) {
            clearTimeout(timer);
            child.stdout.off('data', check);
            resolve(match);
          }
        };
        child.stdout.on('data', check);
        void exited.then(() => reject(new Error(`till serve exited early; stderr: ${stderr}`)));
      });
      const [, url, port, loginToken] = banner as unknown as [string, string, string, string];
      expect(Number(port)).toBeGreaterThan(0);

      const health = await fetch(`${url}/api/v1/health`);
      expect(await health.json()).toMatchObject({
        status: 'ok',
        walletReady: true,
        chains: [{ chainId: 31337, name: 'Anvil', enabled: true }],
      });

      const created = await fetch(`${url}/api/v1/invoices`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ chainId: 31337, token: 'native', amount: '0.25', orderId: 'cli-serve' }),
      });
      expect(created.status).toBe(201);
      const invoice = (await created.json()) as { address: string; derivationIndex: number; paymentUri: string };
      expect(invoice.address).toBe(mnemonicToAccount(TEST_MNEMONIC, { addressIndex: invoice.derivationIndex }).address);
      expect(invoice.paymentUri).toBe(`ethereum:${invoice.address}@31337?value=250000000000000000`);

      const login = await fetch(`${url}/?token=${loginToken}`, { redirect: 'manual' });
      expect(login.status).toBe(302);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const status = await fetch(`${url}/ui/rpc/wallet.status`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(await status.json()).toMatchObject({
        ok: true,
        value: { exists: true, treasury: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' },
      });

      // The link worked once; serve prints the next one for another browser, which works once too.
      expect((await fetch(`${url}/?token=${loginToken}`, { redirect: 'manual' })).status).toBe(401);
      const nextLine = new RegExp(
        `^A browser signed in\\. The next one-time link: ${url.replace(/\./g, '\\.')}/\\?token=([A-Za-z0-9_-]+)$`,
        'm',
      );
      await waitFor(() => nextLine.test(stdout), 'the next login link on stdout');
      const nextToken = nextLine.exec(stdout)![1]!;
      expect(nextToken).not.toBe(loginToken);
      expect((await fetch(`${url}/?token=${nextToken}`, { redirect: 'manual' })).status).toBe(302);

      child.kill('SIGTERM');
      const exit = await Promise.race([
        exited,
        new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 15_000).unref()),
      ]);
      expect(exit, `stderr: ${stderr}`).toEqual({ code: 0, signal: null });

      const logs = logText(dataDir);
      const lines = logs.split('\n').filter((line) => line.trim() !== '');
      expect(lines.length).toBeGreaterThan(0);
      const entries = lines.map((line) => JSON.parse(line) as { msg?: string });
      expect(entries.map((entry) => entry.msg)).toEqual(
        expect.arrayContaining(['till serve listening', 'stopping', 'engine stopped']),
      );
      for (const text of [logs, stdout.replace(banner[0], ''), stderr]) {
        expect(containsMnemonicRun(text, TEST_MNEMONIC)).toBe(false);
        expect(text).not.toContain(apiKey);
        expect(text).not.toContain(loginToken);
      }
      // The login tokens are secrets: on the terminal only, never in the log file.
      expect(logs).not.toContain(nextToken);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
