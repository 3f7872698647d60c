/**
 * Invoices priced in the shop's currency, against a real anvil with Chainlink stand-ins
 * (MockAggregator, the AggregatorV3 interface) read through the chain's own RPC, a real engine on
 * a real SQLite file, and the real merchant API on loopback.
 */
import { parseUnits, type Address } from 'viem';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Invoice } from '../src/shared/domain.ts';
import { startHttpServer } from '../src/main/engine/http/server.ts';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { deployPriceFeed, deployTestToken, getBlock, setPriceFeed } from './fixtures/chain-actions.ts';
import { startTestEngine, type TestEngine } from './fixtures/engine.ts';

describe('invoices priced in the shop currency (Chainlink feeds on anvil)', () => {
  let anvil: Anvil;
  let till: TestEngine;
  let http: Awaited<ReturnType<typeof startHttpServer>>;
  let apiKey: string;
  let usdc: Address;
  const feeds: Record<'ETH' | 'USDC' | 'EUR' | 'JPY', Address> = {} as never;
  const answers = { ETH: 3_000_12345678n, USDC: 1_0001_0000n, EUR: 1_0888_0000n, JPY: 66_4000n };

  const api = async (body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${http.url}/api/v1/invoices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Invoice & { error?: { code: string; message: string } } };
  };
  /** The anvil chain with these feeds (default: the four stand-ins). */
  const saveChain = (priceFeeds: Record<string, { address: Address; heartbeatSeconds: number }> = standInFeeds()) =>
    till.engine.invoke('chains.save', {
      chainId: anvil.chainId,
      name: 'Anvil',
      rpcUrls: [anvil.rpcUrl],
      confirmations: 1,
      pollIntervalMs: 1000,
      tokens: [{ symbol: 'USDC', address: usdc, decimals: 6 }],
      priceFeeds,
    });
  const standInFeeds = () => ({
    'ETH/USD': { address: feeds.ETH, heartbeatSeconds: 3600 },
    'USDC/USD': { address: feeds.USDC, heartbeatSeconds: 86_400 },
    'EUR/USD': { address: feeds.EUR, heartbeatSeconds: 86_400 },
    'JPY/USD': { address: feeds.JPY, heartbeatSeconds: 86_400 },
  });
  const invoiceCount = async () => (await till.engine.invoke('invoices.list', { limit: 500 })).items.length;

  beforeAll(async () => {
    anvil = await startAnvil();
    usdc = await deployTestToken(anvil, { name: 'USD Coin', symbol: 'USDC', decimals: 6 });
    feeds.ETH = await deployPriceFeed(anvil, { description: 'ETH / USD', answer: answers.ETH });
    feeds.USDC = await deployPriceFeed(anvil, { description: 'USDC / USD', answer: answers.USDC });
    feeds.EUR = await deployPriceFeed(anvil, { description: 'EUR / USD', answer: answers.EUR });
    feeds.JPY = await deployPriceFeed(anvil, { description: 'JPY / USD', answer: answers.JPY });
    till = await startTestEngine({ chain: false });
    await saveChain();
    http = await startHttpServer({ engine: till.engine, host: '127.0.0.1', port: 0 });
    apiKey = (await till.engine.invoke('apiKeys.create', { name: 'shop', scopes: ['invoices:read', 'invoices:write'] })).secret;
  });
  afterAll(async () => {
    await http?.close();
    await till?.close();
    await anvil?.stop();
  });
  beforeEach(async () => {
    // Each test starts from the feeds' base answers, freshly updated.
    for (const key of Object.keys(feeds) as (keyof typeof feeds)[]) await setPriceFeed(anvil, feeds[key], answers[key]);
  });

  it('converts 12.50 EUR to 13.61 USDC: stablecoin at 1 USD after the peg check, EUR through its USD feed', async () => {
    const { status, body } = await api({ chainId: anvil.chainId, token: 'USDC', price: { amount: '12.50', currency: 'EUR' } });
    expect(status).toBe(201);
    expect(body.amount).toBe('13.61');
    expect(body.price).toEqual({ amount: '12.50', currency: 'EUR' });
    // One USDC in EUR: 1 / 1.0888.
    expect(body.rate?.value).toBe('0.91844232');
    expect(body.rate?.source).toBe('Chainlink USDC/USD (peg 1.0001), EUR/USD on Anvil');
    const block = await getBlock(anvil);
    expect(Date.parse(body.rate!.at) / 1000).toBeLessThanOrEqual(Number(block.timestamp));
    expect(body.paymentUri).toContain(`uint256=${parseUnits('13.61', 6)}`);

    // The invoices export carries the price and the locked rate next to the token amount.
    const csv = await (
      await fetch(`${http.url}/api/v1/exports/invoices.csv`, { headers: { authorization: `Bearer ${apiKey}` } })
    ).text();
    const row = csv.split('\r\n').find((line) => line.startsWith(`${body.id},`));
    expect(row).toContain(',13.61,0,12.50,EUR,0.91844232,"Chainlink USDC/USD (peg 1.0001), EUR/USD on Anvil",');

    // The customer's checkout page is quoted the same price.
    const checkout = (await (await fetch(`${http.url}/pay/${body.id}/status.json`)).json()) as { price: unknown; amount: string };
    expect(checkout).toMatchObject({ price: { amount: '12.50', currency: 'EUR' }, amount: '13.61' });
  });

  it('rounds up to the token decimals, in the merchant’s favour (native coin at 3000.12345678 USD)', async () => {
    const { status, body } = await api({ chainId: anvil.chainId, token: 'native', price: { amount: '10.00', currency: 'USD' } });
    expect(status).toBe(201);
    // 10 / 3000.12345678 ETH = 0.003333196167510140… → up at the 18th decimal.
    const exact = (10n * 10n ** 18n * 10n ** 8n) / answers.ETH;
    const roundedUp = (10n * 10n ** 18n * 10n ** 8n) % answers.ETH === 0n ? exact : exact + 1n;
    expect(parseUnits(body.amount, 18)).toBe(roundedUp);
    expect(body.rate?.value).toBe('3000.12345678');
  });

  it('JPY has no minor unit: 1500 JPY converts, 1500.5 JPY is refused', async () => {
    const ok = await api({ chainId: anvil.chainId, token: 'USDC', price: { amount: '1500', currency: 'JPY' } });
    expect(ok.status).toBe(201);
    expect(ok.body.amount).toBe('9.96'); // 1500 × 0.00664
    const bad = await api({ chainId: anvil.chainId, token: 'USDC', price: { amount: '1500.5', currency: 'JPY' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toMatch(/JPY has no minor unit/);
  });

  it('locks the rate: the invoice keeps its amount and rate while the feed moves', async () => {
    const created = await api({ chainId: anvil.chainId, token: 'USDC', price: { amount: '20.00', currency: 'EUR' } });
    expect(created.body.amount).toBe('21.776');
    await setPriceFeed(anvil, feeds.EUR, 1_2000_0000n);
    const later = await till.engine.invoke('invoices.get', { id: created.body.id });
    expect(later.amount).toBe('21.776');
    expect(later.rate).toEqual(created.body.rate);
    const fresh = await api({ chainId: anvil.chainId, token: 'USDC', price: { amount: '20.00', currency: 'EUR' } });
    expect(fresh.body.amount).toBe('24');
  });

  it('refuses a stale feed with RATE_UNAVAILABLE and creates nothing', async () => {
    const before = await invoiceCount();
    const now = BigInt(Math.floor(Date.now() / 1000));
    await setPriceFeed(anvil, feeds.EUR, answers.EUR, now - 90_000n);
    const { status, body } = await api({ chainId: anvil.chainId, token: 'USDC', price: { amount: '12.50', currency: 'EUR' } });
    expect(status).toBe(503);
    expect(body.error?.code).toBe('RATE_UNAVAILABLE');
    expect(body.error?.message).toMatch(/EUR\/USD feed .* is stale: last updated \d+ s ago, its heartbeat is 86400 s/);
    expect(await invoiceCount()).toBe(before);
  });

  it('refuses a stablecoin more than 2 % off its peg with TOKEN_OFF_PEG, and accepts one just inside', async () => {
    const before = await invoiceCount();
    await setPriceFeed(anvil, feeds.USDC, 97_9000_00n);
    const off = await api({ chainId: anvil.chainId, token: 'USDC', price: { amount: '5.00', currency: 'USD' } });
    expect(off.status).toBe(422);
    expect(off.body.error?.code).toBe('TOKEN_OFF_PEG');
    expect(off.body.error?.message).toMatch(/USDC is off its peg: its USDC\/USD feed says 0\.979 USD/);
    expect(await invoiceCount()).toBe(before);
    await setPriceFeed(anvil, feeds.USDC, 98_0000_00n);
    const inside = await api({ chainId: anvil.chainId, token: 'USDC', price: { amount: '5.00', currency: 'USD' } });
    expect(inside.status).toBe(201);
    expect(inside.body.amount).toBe('5');
  });

  it('refuses an address that is not a feed (a token contract), naming it', async () => {
    await saveChain({ ...standInFeeds(), 'ETH/USD': { address: usdc, heartbeatSeconds: 3600 } });
    try {
      const { status, body } = await api({ chainId: anvil.chainId, token: 'native', price: { amount: '5.00', currency: 'USD' } });
      expect(status).toBe(503);
      expect(body.error?.code).toBe('RATE_UNAVAILABLE');
      expect(body.error?.message).toMatch(/did not answer like a price feed/);
    } finally {
      await saveChain();
    }
  });

  it('an Idempotency-Key retry returns the same invoice without reading the feed again', async () => {
    const body = { chainId: anvil.chainId, token: 'USDC', price: { amount: '7.00', currency: 'EUR' } };
    const first = await api(body, { 'idempotency-key': 'order-77' });
    expect(first.status).toBe(201);
    // The feed goes stale: a new request would be refused, the retry is not.
    await setPriceFeed(anvil, feeds.EUR, answers.EUR, 1n);
    const retry = await api(body, { 'idempotency-key': 'order-77' });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.body.amount).toBe(first.body.amount);
  });

  it.each([
    ['a negative price', { amount: '-1.00', currency: 'EUR' }, /price must be positive/],
    ['too many decimals', { amount: '12.505', currency: 'EUR' }, /EUR has 2 decimals, so the price may have at most 2 digits/],
    ['an unknown currency', { amount: '12.50', currency: 'XAU' }, /currency must be one of USD, EUR, GBP, CHF, JPY, CAD, AUD/],
    ['a number instead of a string', { amount: 12.5, currency: 'EUR' }, /price\.amount must be a decimal string/],
    ['an exponent', { amount: '1e3', currency: 'USD' }, /not a decimal number/],
  ])('refuses %s with a 400 that says what is wrong, and creates nothing', async (_name, price, message) => {
    const before = await invoiceCount();
    const { status, body } = await api({ chainId: anvil.chainId, token: 'USDC', price });
    expect(status).toBe(400);
    expect(body.error?.code).toBe('VALIDATION_FAILED');
    expect(body.error?.message).toMatch(message);
    expect(await invoiceCount()).toBe(before);
  });

  it.each([
    ['both amount and price', { amount: '12.50', price: { amount: '12.50', currency: 'EUR' } }],
    ['neither amount nor price', {}],
  ])('refuses %s', async (_name, extra) => {
    const before = await invoiceCount();
    const { status, body } = await api({ chainId: anvil.chainId, token: 'USDC', ...extra });
    expect(status).toBe(400);
    expect(body.error?.message).toMatch(/give either amount .* or price .*, not both and not neither/);
    expect(await invoiceCount()).toBe(before);
  });

  it('the shop currency is a setting, USD by default; the invoice by token amount has price and rate null', async () => {
    expect(await till.engine.invoke('shop.get', {})).toMatchObject({ currency: 'USD' });
    expect(await till.engine.invoke('shop.setCurrency', { currency: 'EUR' })).toMatchObject({ currency: 'EUR' });
    expect((await till.engine.invoke('shop.get', {})).currency).toBe('EUR');
    await expect(till.engine.invoke('shop.setCurrency', { currency: 'XAU' as never })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const plain = await api({ chainId: anvil.chainId, token: 'USDC', amount: '3' });
    expect(plain.status).toBe(201);
    expect(plain.body.price).toBeNull();
    expect(plain.body.rate).toBeNull();
  });
});
