/**
 * `till invoices create` as a merchant types it, in its own process on a data folder (real
 * SQLite, a real anvil with Chainlink stand-ins): by amount, by price in the shop's currency or
 * another one, the JSON output, and bad input refused with a clear message, nothing created.
 */
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import pino from 'pino';
import type { Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invoice } from '../src/shared/domain.ts';
import { createEngine } from '../src/main/engine/engine.ts';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { deployPriceFeed, deployTestToken } from './fixtures/chain-actions.ts';
import { TEST_MNEMONIC, TEST_PASSPHRASE, tempDataDir } from './fixtures/engine.ts';
import { runTill } from './fixtures/till-serve.ts';

describe('till invoices create', () => {
  const data = tempDataDir('till-cli-invoices-');
  let anvil: Anvil;
  let usdc: Address;
  const invoiceCount = () => {
    const db = new BetterSqlite3(join(data.dir, 'till.db'), { readonly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM invoices').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    anvil = await startAnvil();
    usdc = await deployTestToken(anvil, { name: 'USD Coin', symbol: 'USDC', decimals: 6 });
    const usdcFeed = await deployPriceFeed(anvil, { description: 'USDC / USD', answer: 1_0001_0000n });
    const eurFeed = await deployPriceFeed(anvil, { description: 'EUR / USD', answer: 1_0888_0000n });
    const gbpFeed = await deployPriceFeed(anvil, { description: 'GBP / USD', answer: 1_2500_0000n });
    const engine = await createEngine({
      dataDir: data.dir,
      host: 'browser',
      keystore: 'file',
      passphrase: async () => TEST_PASSPHRASE,
      logger: pino({ enabled: false }),
      background: false,
    });
    await engine.invoke('wallet.import', { mnemonic: TEST_MNEMONIC });
    await engine.invoke('chains.save', {
      chainId: anvil.chainId,
      name: 'Anvil',
      rpcUrls: [anvil.rpcUrl],
      confirmations: 1,
      pollIntervalMs: 1000,
      tokens: [{ symbol: 'USDC', address: usdc, decimals: 6 }],
      priceFeeds: {
        'USDC/USD': { address: usdcFeed, heartbeatSeconds: 86_400 },
        'EUR/USD': { address: eurFeed, heartbeatSeconds: 86_400 },
        'GBP/USD': { address: gbpFeed, heartbeatSeconds: 86_400 },
      },
    });
    await engine.invoke('shop.setCurrency', { currency: 'EUR' });
    await engine.stop();
  });
  afterAll(async () => {
    await anvil?.stop();
    data.cleanup();
  });

  const chain = () => ['--chain-id', String(anvil.chainId)];

  it('by amount: prints what to pay, where, and the payment URI', async () => {
    const result = await runTill(data.dir, [
      'invoices',
      'create',
      ...chain(),
      '--token',
      'USDC',
      '--amount',
      '5',
      '--order',
      'A-7',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Invoice inv_\w+ \(pending\): 5 USDC on chain 31337$/m);
    expect(result.stdout).toMatch(/^Pay to: 0x[0-9a-fA-F]{40}$/m);
    expect(result.stdout).toMatch(
      /^Payment URI: ethereum:0x[0-9a-fA-F]{40}@31337\/transfer\?address=0x[0-9a-fA-F]{40}&uint256=5000000$/m,
    );
  });

  it('by price: the shop currency by default, converted at the locked rate', async () => {
    const result = await runTill(data.dir, ['invoices', 'create', ...chain(), '--token', 'USDC', '--price', '12.50']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/: 12\.50 EUR = 13\.61 USDC on chain 31337$/m);
    expect(result.stdout).toContain('Rate: 1 USDC = 0.91844232 EUR (Chainlink USDC/USD (peg 1.0001), EUR/USD on Anvil');
  });

  it('by price in another currency, as JSON: the invoice object with price and rate', async () => {
    const result = await runTill(data.dir, [
      'invoices',
      'create',
      ...chain(),
      '--token',
      'USDC',
      '--price',
      '8',
      '--currency',
      'gbp',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const invoice = JSON.parse(result.stdout) as Invoice;
    expect(invoice).toMatchObject({ amount: '10', price: { amount: '8', currency: 'GBP' }, rate: { value: '0.8' } });
  });

  it.each([
    ['both --amount and --price', ['--amount', '5', '--price', '5'], /Give either --amount .* or --price .*, not both/],
    ['neither', [], /Give either --amount/],
    ['--currency without --price', ['--amount', '5', '--currency', 'EUR'], /--currency goes with --price/],
    ['an unknown currency', ['--price', '5', '--currency', 'XAU'], /currency must be one of USD, EUR, GBP, CHF, JPY, CAD, AUD/],
    ['too many decimals for the currency', ['--price', '5.001'], /EUR has 2 decimals/],
    [
      'a price with no feed for the currency',
      ['--price', '5', '--currency', 'CHF'],
      /No enabled chain has a CHF\/USD price feed/,
    ],
    ['an unknown token', ['--token', 'DOGE', '--amount', '5'], /Token "DOGE" is not registered on Anvil/],
  ])('refuses %s with a clear message and creates nothing', async (_name, args, message) => {
    const before = invoiceCount();
    const withToken = args.includes('--token') ? args : ['--token', 'USDC', ...args];
    const result = await runTill(data.dir, ['invoices', 'create', ...chain(), ...withToken]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(invoiceCount()).toBe(before);
  });
});
