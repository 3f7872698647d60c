import BetterSqlite3 from 'better-sqlite3';
import { getAddress } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyScope, Invoice } from '../../../shared/domain.ts';
import { startTestServer, TEST_MNEMONIC } from '../../../../test/fixtures/engine.ts';
import { databasePath } from '../engine.ts';

type TestServer = Awaited<ReturnType<typeof startTestServer>>;

const USDC = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const INVOICE_FIELDS = [
  'id',
  'status',
  'exceptionStatus',
  'chainId',
  'token',
  'amount',
  'amountReceived',
  'address',
  'derivationIndex',
  'paymentUri',
  'orderId',
  'metadata',
  'createdAt',
  'expiresAt',
  'detectedAt',
  'confirmedAt',
  'settledAt',
  'payments',
  'sweep',
  'redirectUrl',
  'price',
  'rate',
  'checkoutUrl',
].sort();

interface ErrorBody {
  error: { code: string; message: string; details: unknown };
}

interface RequestOptions {
  method?: string;
  key?: string | null;
  /** A value is sent as JSON; a string is sent as is. */
  json?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

/** A parsed response body; tests check its shape with assertions, so it is deliberately loose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type Body = any;

/** One merchant API client bound to a server; `key: null` sends no Authorization header. */
function client(server: TestServer, defaultKey: string) {
  return async function request(
    path: string,
    options: RequestOptions = {},
  ): Promise<{ status: number; headers: Headers; body: Body; text: string }> {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? defaultKey : options.key;
    if (key !== null) headers.authorization ??= `Bearer ${key}`;
    let body: string | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    } else if (options.raw !== undefined) {
      body = options.raw;
    }
    const response = await fetch(`${server.url}/api/v1${path}`, {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
    });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
}

async function newKey(server: TestServer, scopes: ApiKeyScope[], name = 'test key'): Promise<{ id: string; secret: string }> {
  const { apiKey, secret } = await server.engine.invoke('apiKeys.create', { name, scopes });
  return { id: apiKey.id, secret };
}

const usdc = (amount: string, extra: Record<string, unknown> = {}) => ({ chainId: 31337, token: 'USDC', amount, ...extra });

function expectErrorShape(body: unknown, code: string): asserts body is ErrorBody {
  expect(Object.keys(body as object)).toEqual(['error']);
  const { error } = body as ErrorBody;
  expect(Object.keys(error).sort()).toEqual(['code', 'details', 'message']);
  expect(error.code).toBe(code);
  expect(error.message).toEqual(expect.any(String));
  expect(error.message.length).toBeGreaterThan(10);
}

describe('merchant API: creating invoices', () => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    server = await startTestServer();
    api = client(server, (await newKey(server, ['invoices:read', 'invoices:write'])).secret);
  });
  afterAll(() => server.close());

  it('creates a pending USDC invoice with exactly the contract fields', async () => {
    const response = await api('/invoices', { json: usdc('12.50', { orderId: 'order-1042' }) });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const invoice = response.body as Invoice;
    expect(Object.keys(invoice).sort()).toEqual(INVOICE_FIELDS);
    expect(Object.keys(invoice.token).sort()).toEqual(['address', 'decimals', 'symbol']);
    expect(invoice).toMatchObject({
      status: 'pending',
      exceptionStatus: null,
      chainId: 31337,
      token: { address: USDC, symbol: 'USDC', decimals: 6 },
      amount: '12.5',
      amountReceived: '0',
      orderId: 'order-1042',
      metadata: null,
      detectedAt: null,
      confirmedAt: null,
      settledAt: null,
      payments: [],
    });
    expect(invoice.id).toMatch(/^inv_[0-9A-Z]+$/);
    expect(getAddress(invoice.address)).toBe(invoice.address);
    expect(new Date(invoice.createdAt).toISOString()).toBe(invoice.createdAt);
    expect(invoice.paymentUri).toBe(`ethereum:${USDC}@31337/transfer?address=${invoice.address}&uint256=12500000`);
  });

  it.each([
    ['12.50', '12.5'],
    ['12.000000', '12'],
    ['0.000001', '0.000001'],
    ['007', '7'],
    ['1000000', '1000000'],
  ])('formats amount %s as %s', async (sent, shown) => {
    const response = await api('/invoices', { json: usdc(sent) });
    expect(response.status).toBe(201);
    expect(response.body.amount).toBe(shown);
  });

  it('builds the native EIP-681 URI with the amount in wei', async () => {
    const response = await api('/invoices', { json: { chainId: 31337, token: 'native', amount: '1.5' } });
    expect(response.status).toBe(201);
    const invoice = response.body as Invoice;
    expect(invoice.token).toEqual({ address: null, symbol: 'ETH', decimals: 18 });
    expect(invoice.amount).toBe('1.5');
    expect(invoice.paymentUri).toBe(`ethereum:${invoice.address}@31337?value=1500000000000000000`);
  });

  it.each([['native'], ['NATIVE'], ['ETH'], ['eth']])('accepts %s as the native coin', async (token) => {
    const response = await api('/invoices', { json: { chainId: 31337, token, amount: '0.01' } });
    expect(response.status).toBe(201);
    expect(response.body.token).toEqual({ address: null, symbol: 'ETH', decimals: 18 });
  });

  it.each([['USDC'], ['usdc'], [USDC], [USDC.toLowerCase()], [`0x${USDC.slice(2).toUpperCase()}`]])(
    'finds the ERC-20 by %s',
    async (token) => {
      const response = await api('/invoices', { json: { chainId: 31337, token, amount: '3' } });
      expect(response.status).toBe(201);
      expect(response.body.token).toEqual({ address: USDC, symbol: 'USDC', decimals: 6 });
      expect(response.body.paymentUri).toBe(`ethereum:${USDC}@31337/transfer?address=${response.body.address}&uint256=3000000`);
    },
  );

  it('expires after 3600 seconds by default and after expiresInSeconds when given', async () => {
    const byDefault = (await api('/invoices', { json: usdc('1') })).body as Invoice;
    expect(Date.parse(byDefault.expiresAt) - Date.parse(byDefault.createdAt)).toBe(3600_000);
    const custom = (await api('/invoices', { json: usdc('1', { expiresInSeconds: 90 }) })).body as Invoice;
    expect(Date.parse(custom.expiresAt) - Date.parse(custom.createdAt)).toBe(90_000);
    const longest = (await api('/invoices', { json: usdc('1', { expiresInSeconds: 30 * 24 * 3600 }) })).body as Invoice;
    expect(Date.parse(longest.expiresAt) - Date.parse(longest.createdAt)).toBe(30 * 24 * 3600_000);
  });

  it('returns metadata exactly as sent, on create and on read', async () => {
    const metadata = { customer: { email: 'a@example.org', tags: ['vip', 2, null, true] }, note: 'Grüße 🧾', n: 1.25, empty: {} };
    const created = await api('/invoices', { json: usdc('5', { metadata }) });
    expect(created.status).toBe(201);
    expect(created.body.metadata).toEqual(metadata);
    const read = await api(`/invoices/${created.body.id}`);
    expect(read.body.metadata).toEqual(metadata);
  });

  it('gives every invoice its own address, at the BIP44 index it reports', async () => {
    const invoices: Invoice[] = [];
    for (let i = 0; i < 5; i++) invoices.push((await api('/invoices', { json: usdc('1') })).body as Invoice);
    expect(new Set(invoices.map((invoice) => invoice.address)).size).toBe(5);
    expect(new Set(invoices.map((invoice) => invoice.derivationIndex)).size).toBe(5);
    for (const invoice of invoices) {
      expect(invoice.address).toBe(mnemonicToAccount(TEST_MNEMONIC, { addressIndex: invoice.derivationIndex }).address);
    }
  });

  it('accepts a Content-Type with a charset parameter', async () => {
    const response = await api('/invoices', { json: usdc('1'), headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(response.status).toBe(201);
  });

  it('refuses an invoice on a disabled chain with CHAIN_DISABLED', async () => {
    await server.engine.invoke('chains.setEnabled', { chainId: 31337, enabled: false });
    try {
      const before = server.engine.store.invoices.count();
      const response = await api('/invoices', { json: usdc('1') });
      expect(response.status).toBe(422);
      expectErrorShape(response.body, 'CHAIN_DISABLED');
      expect(response.body.error.message).toMatch(/disabled/);
      expect(server.engine.store.invoices.count()).toBe(before);
    } finally {
      await server.engine.invoke('chains.setEnabled', { chainId: 31337, enabled: true });
    }
  });
});

describe('merchant API: creating invoices with no wallet', () => {
  it('answers 409 WALLET_MISSING and creates nothing', async () => {
    const server = await startTestServer({ withWallet: false });
    try {
      const api = client(server, (await newKey(server, ['invoices:read', 'invoices:write'])).secret);
      const response = await api('/invoices', { json: usdc('1') });
      expect(response.status).toBe(409);
      expectErrorShape(response.body, 'WALLET_MISSING');
      expect(response.body.error.message).toMatch(/till wallet create/);
      expect(server.engine.store.invoices.count()).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('merchant API: reading invoices', () => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    server = await startTestServer();
    api = client(server, (await newKey(server, ['admin'])).secret);
  });
  afterAll(() => server.close());

  it('GET /invoices/{id} returns the invoice as it was created', async () => {
    const created = await api('/invoices', { json: usdc('2.25', { orderId: 'read-1', metadata: { a: 1 } }) });
    const read = await api(`/invoices/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('GET /invoices/{id} answers 404 INVOICE_NOT_FOUND for an unknown id', async () => {
    const response = await api('/invoices/inv_DOESNOTEXIST');
    expect(response.status).toBe(404);
    expectErrorShape(response.body, 'INVOICE_NOT_FOUND');
    expect(response.body.error.message).toContain('inv_DOESNOTEXIST');
  });

  it('GET /invoices/{id}/qr.svg returns an SVG image of the payment URI', async () => {
    const created = await api('/invoices', { json: usdc('1') });
    const response = await api(`/invoices/${created.body.id}/qr.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(response.text.startsWith('<svg')).toBe(true);
    expect(response.text.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('GET /invoices/{id}/qr.svg answers 404 for an unknown id', async () => {
    const response = await api('/invoices/inv_NOPE/qr.svg');
    expect(response.status).toBe(404);
    expectErrorShape(response.body, 'INVOICE_NOT_FOUND');
  });

  it('GET /invoices lists newest first and filters by orderId exactly', async () => {
    const a = (await api('/invoices', { json: usdc('1', { orderId: 'A-1' }) })).body as Invoice;
    const b = (await api('/invoices', { json: usdc('1', { orderId: 'A-10' }) })).body as Invoice;
    const c = (await api('/invoices', { json: usdc('1', { orderId: 'A-1' }) })).body as Invoice;

    const all = await api('/invoices?limit=3');
    expect(all.status).toBe(200);
    expect(Object.keys(all.body).sort()).toEqual(['items', 'nextCursor']);
    expect(all.body.items.map((invoice: Invoice) => invoice.id)).toEqual([c.id, b.id, a.id]);

    const filtered = await api('/invoices?orderId=A-1');
    expect(filtered.body.items.map((invoice: Invoice) => invoice.id)).toEqual([c.id, a.id]);
    expect(filtered.body.nextCursor).toBeNull();
    for (const invoice of filtered.body.items) expect(Object.keys(invoice).sort()).toEqual(INVOICE_FIELDS);
  });

  it('GET /invoices?status= returns only invoices in that status', async () => {
    const kept = (await api('/invoices', { json: usdc('1', { orderId: 'status-test' }) })).body as Invoice;
    const expired = (await api('/invoices', { json: usdc('1', { orderId: 'status-test' }) })).body as Invoice;
    // No API moves an invoice to expired without the chain watcher; arrange it in the database.
    const db = new BetterSqlite3(databasePath(server.dataDir));
    try {
      db.prepare("UPDATE invoices SET status = 'expired' WHERE id = ?").run(expired.id);
    } finally {
      db.close();
    }
    const onlyExpired = await api('/invoices?status=expired');
    expect(onlyExpired.body.items.map((invoice: Invoice) => invoice.id)).toEqual([expired.id]);
    expect(onlyExpired.body.items[0].status).toBe('expired');
    const pending = await api('/invoices?status=pending&orderId=status-test');
    expect(pending.body.items.map((invoice: Invoice) => invoice.id)).toEqual([kept.id]);
  });

  it('GET /health needs no key and shows no secrets', async () => {
    const { secret } = await newKey(server, ['admin']);
    const response = await api('/health', { key: null });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      version: expect.any(String),
      walletReady: true,
      chains: [{ chainId: 31337, name: 'Anvil', enabled: true }],
      time: expect.any(String),
    });
    expect(response.text).not.toContain(secret);
    expect(response.text).not.toContain('till_sk_');
    expect(response.text).not.toMatch(/[xt]pub/i);
    expect(response.text).not.toMatch(/\btest\b|\bjunk\b/);
    expect(response.text).not.toContain(server.dataDir);
  });

  it('GET /openapi.json is an OpenAPI 3.1 document of the paths and the Invoice schema', async () => {
    const response = await api('/openapi.json', { key: null });
    expect(response.status).toBe(200);
    const doc = response.body;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.servers).toEqual([{ url: '/api/v1' }]);
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/exports/invoices.csv',
      '/exports/payments.csv',
      '/exports/sweeps.csv',
      '/health',
      '/invoices',
      '/invoices/{id}',
      '/invoices/{id}/qr.svg',
    ]);
    expect(Object.keys(doc.paths['/invoices']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/invoices/{id}'])).toEqual(['get']);
    expect(doc.paths['/invoices'].post.responses).toHaveProperty('201');
    expect(doc.paths['/invoices'].post.responses).toHaveProperty('409');
    expect(doc.paths['/invoices/{id}'].get.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path', required: true })]),
    );
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const invoiceSchema = doc.components.schemas.Invoice;
    expect(Object.keys(invoiceSchema.properties).sort()).toEqual(INVOICE_FIELDS);
    expect([...invoiceSchema.required].sort()).toEqual(INVOICE_FIELDS);
    expect(doc.components.schemas).toHaveProperty('CreateInvoice');
    expect(Object.keys(doc.components.schemas.CreateInvoice.properties).sort()).toEqual([
      'amount',
      'chainId',
      'expiresInSeconds',
      'metadata',
      'monitoringWindowSeconds',
      'orderId',
      'price',
      'redirectUrl',
      'token',
    ]);
    // Either amount or price: neither is required on its own.
    expect(doc.components.schemas.CreateInvoice.required.sort()).toEqual(['chainId', 'token']);
    expect(doc.components.schemas).toHaveProperty('Error');
  });

  it('sends the security headers on API responses', async () => {
    const response = await api('/health', { key: null });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});

describe('merchant API: listing pages with a cursor', () => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    server = await startTestServer();
    api = client(server, (await newKey(server, ['invoices:read', 'invoices:write'])).secret);
  });
  afterAll(() => server.close());

  it('walks 7 invoices in pages of 3 with no duplicates and no gaps', async () => {
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push((await api('/invoices', { json: usdc(String(i + 1)) })).body.id);
    const newestFirst = [...created].reverse();

    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=3&cursor=${encodeURIComponent(cursor)}` : '?limit=3';
      const page = await api(`/invoices${query}`);
      expect(page.status).toBe(200);
      pages.push(page.body.items.map((invoice: Invoice) => invoice.id));
      cursor = page.body.nextCursor;
      expect(pages.length).toBeLessThanOrEqual(3);
    } while (cursor !== null);

    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(newestFirst);
  });

  it('ends with nextCursor null when the last page is exactly full', async () => {
    const page = await api('/invoices?limit=7');
    expect(page.body.items).toHaveLength(7);
    expect(page.body.nextCursor).toBeNull();
  });

  it('refuses a cursor it did not give out with 400', async () => {
    for (const cursor of ['garbage', Buffer.from('s:-1').toString('base64url'), Buffer.from('x:1').toString('base64url')]) {
      const response = await api(`/invoices?cursor=${cursor}`);
      expect(response.status, cursor).toBe(400);
      expectErrorShape(response.body, 'VALIDATION_FAILED');
      expect(response.body.error.message).toMatch(/cursor/);
    }
  });
});

describe('merchant API: authentication and scopes', () => {
  let server: TestServer;
  let invoiceId: string;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer();
    admin = (await newKey(server, ['admin'])).secret;
    invoiceId = (await client(server, admin)('/invoices', { json: usdc('1') })).body.id;
  });
  afterAll(() => server.close());

  it.each([
    ['no Authorization header', null, /Authorization: Bearer/],
    ['a Basic scheme', 'Basic dXNlcjpwYXNz', /Authorization: Bearer/],
    ['Bearer with no key', 'Bearer', /Authorization: Bearer/],
    ['Bearer with two words', 'Bearer till_sk_a till_sk_b', /Authorization: Bearer/],
    ['a key without the till_sk_ prefix', 'Bearer abc123', /unknown or revoked/],
    ['an unknown key', 'Bearer till_sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', /unknown or revoked/],
    ['an absurdly long key', `Bearer till_sk_${'A'.repeat(500)}`, /unknown or revoked/],
  ])('answers 401 to %s', async (_name, authorization, hint) => {
    const api = client(server, admin);
    const headers: Record<string, string> = authorization === null ? {} : { authorization };
    for (const [path, json] of [
      ['/invoices', usdc('1')],
      ['/invoices', undefined],
      [`/invoices/${invoiceId}`, undefined],
      [`/invoices/${invoiceId}/qr.svg`, undefined],
    ] as const) {
      const response = await api(path, { key: null, headers, json });
      expect(response.status, path).toBe(401);
      expectErrorShape(response.body, 'UNAUTHORIZED');
      expect(response.body.error.message).toMatch(hint);
    }
  });

  it('accepts the Bearer scheme in any case', async () => {
    const response = await client(server, admin)('/invoices', { key: null, headers: { authorization: `bearer ${admin}` } });
    expect(response.status).toBe(200);
  });

  it('answers 401 to a revoked key, which worked before', async () => {
    const key = await newKey(server, ['invoices:read', 'invoices:write']);
    const api = client(server, key.secret);
    expect((await api('/invoices')).status).toBe(200);
    await server.engine.invoke('apiKeys.revoke', { id: key.id });
    for (const response of [
      await api('/invoices'),
      await api('/invoices', { json: usdc('1') }),
      await api(`/invoices/${invoiceId}`),
    ]) {
      expect(response.status).toBe(401);
      expectErrorShape(response.body, 'UNAUTHORIZED');
      expect(response.body.error.message).toMatch(/revoked/);
    }
  });

  it('a key with invoices:read only may read but not create (403 naming the scope)', async () => {
    const api = client(server, (await newKey(server, ['invoices:read'])).secret);
    const before = server.engine.store.invoices.count();
    const create = await api('/invoices', { json: usdc('1') });
    expect(create.status).toBe(403);
    expectErrorShape(create.body, 'FORBIDDEN');
    expect(create.body.error.message).toContain('invoices:write');
    expect(server.engine.store.invoices.count()).toBe(before);
    expect((await api('/invoices')).status).toBe(200);
    expect((await api(`/invoices/${invoiceId}`)).status).toBe(200);
    expect((await api(`/invoices/${invoiceId}/qr.svg`)).status).toBe(200);
  });

  // BUG: app.use('/invoices/*', requireScope('invoices:read')) also matches /invoices itself in
  // Hono, so a write-only key is refused on POST /invoices with 403 "lacks invoices:read".
  it('a key with invoices:write only may create but not read (403 naming invoices:read)', async () => {
    const api = client(server, (await newKey(server, ['invoices:write'])).secret);
    const create = await api('/invoices', { json: usdc('1') });
    expect(create.status).toBe(201);
    for (const path of ['/invoices', `/invoices/${invoiceId}`, `/invoices/${invoiceId}/qr.svg`]) {
      const response = await api(path);
      expect(response.status, path).toBe(403);
      expectErrorShape(response.body, 'FORBIDDEN');
      expect(response.body.error.message).toContain('invoices:read');
    }
  });

  it('an admin key may do everything', async () => {
    const api = client(server, admin);
    expect((await api('/invoices', { json: usdc('1') })).status).toBe(201);
    expect((await api('/invoices')).status).toBe(200);
    expect((await api(`/invoices/${invoiceId}`)).status).toBe(200);
    expect((await api(`/invoices/${invoiceId}/qr.svg`)).status).toBe(200);
  });

  it('records when a key was last used', async () => {
    const key = await newKey(server, ['invoices:read']);
    const listed = async () => (await server.engine.invoke('apiKeys.list', {})).find((info) => info.id === key.id)!;
    expect((await listed()).lastUsedAt).toBeNull();
    await client(server, key.secret)('/invoices');
    expect((await listed()).lastUsedAt).toEqual(expect.any(String));
  });

  // BUG: the auth middleware skips every path that merely *ends with* /health or /openapi.json,
  // so these reach the /invoices/* scope check with no key set and crash it (500 INTERNAL).
  // An unauthenticated request must get 401. See the report.
  it.each([['/invoices/health'], ['/invoices/openapi.json'], ['/invoices/x/health'], [`/invoices/${'x'}/qr.svg/health`]])(
    'answers 401, never 500, to %s without a key',
    async (path) => {
      const response = await client(server, admin)(path, { key: null });
      expect(response.status).toBe(401);
      expectErrorShape(response.body, 'UNAUTHORIZED');
    },
  );
});

describe('merchant API: Idempotency-Key', () => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    server = await startTestServer();
    api = client(server, (await newKey(server, ['invoices:read', 'invoices:write'])).secret);
  });
  afterAll(() => server.close());

  it('replays the same invoice with 200 for the same key and body, in any key order', async () => {
    const before = server.engine.store.invoices.count();
    const headers = { 'idempotency-key': 'order-7-attempt' };
    const first = await api('/invoices', {
      headers,
      json: { chainId: 31337, token: 'USDC', amount: '9.99', orderId: 'o-7', metadata: { b: 2, a: 1 } },
    });
    expect(first.status).toBe(201);
    const replay = await api('/invoices', {
      headers,
      json: { chainId: 31337, token: 'USDC', amount: '9.99', orderId: 'o-7', metadata: { b: 2, a: 1 } },
    });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    const reordered = await api('/invoices', {
      raw: '{"metadata":{"a":1,"b":2},"orderId":"o-7","amount":"9.99","token":"USDC","chainId":31337}',
      headers: { ...headers, 'content-type': 'application/json' },
    });
    expect(reordered.status).toBe(200);
    expect(reordered.body.id).toBe(first.body.id);
    expect(server.engine.store.invoices.count()).toBe(before + 1);
  });

  it('answers 409 IDEMPOTENCY_CONFLICT for the same key with another body', async () => {
    const headers = { 'idempotency-key': 'conflict-key' };
    const first = await api('/invoices', { headers, json: usdc('1') });
    expect(first.status).toBe(201);
    const before = server.engine.store.invoices.count();
    for (const json of [usdc('2'), usdc('1', { orderId: 'x' }), { chainId: 31337, token: 'native', amount: '1' }]) {
      const response = await api('/invoices', { headers, json });
      expect(response.status).toBe(409);
      expectErrorShape(response.body, 'IDEMPOTENCY_CONFLICT');
      expect(response.body.error.message).toMatch(/different request body/);
    }
    expect(server.engine.store.invoices.count()).toBe(before);
    expect((await api('/invoices', { headers, json: usdc('1') })).body.id).toBe(first.body.id);
  });

  it('keeps the Idempotency-Keys of different API keys apart', async () => {
    const other = client(server, (await newKey(server, ['invoices:read', 'invoices:write'])).secret);
    const headers = { 'idempotency-key': 'shared-key' };
    const mine = await api('/invoices', { headers, json: usdc('4') });
    const theirs = await other('/invoices', { headers, json: usdc('4') });
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    const theirsConflict = await other('/invoices', { headers, json: usdc('5') });
    expect(theirsConflict.status).toBe(409);
  });

  it('creates one invoice for ten concurrent requests with one key', async () => {
    const before = server.engine.store.invoices.count();
    const headers = { 'idempotency-key': 'concurrent-retry' };
    const responses = await Promise.all(Array.from({ length: 10 }, () => api('/invoices', { headers, json: usdc('6') })));
    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
    expect(server.engine.store.invoices.count()).toBe(before + 1);
  });

  it('does not remember a key whose request failed', async () => {
    const headers = { 'idempotency-key': 'failed-first' };
    expect((await api('/invoices', { headers, json: usdc('0') })).status).toBe(422);
    expect((await api('/invoices', { headers, json: usdc('1') })).status).toBe(201);
  });
});

describe('merchant API: malformed requests', () => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  let invoicesBefore: number;
  let invoiceId: string;
  beforeAll(async () => {
    server = await startTestServer();
    api = client(server, (await newKey(server, ['invoices:read', 'invoices:write'])).secret);
    invoiceId = (await api('/invoices', { json: usdc('1') })).body.id;
    invoicesBefore = server.engine.store.invoices.count();
  });
  afterAll(() => server.close());

  const json = { 'content-type': 'application/json' };
  const cases: [name: string, path: string, options: RequestOptions, status: number, code: string, hint: RegExp][] = [
    ['a body that is not JSON', '/invoices', { raw: '{"chainId":', headers: json }, 400, 'VALIDATION_FAILED', /not valid JSON/],
    [
      'a text/plain body',
      '/invoices',
      { raw: JSON.stringify(usdc('1')), headers: { 'content-type': 'text/plain' } },
      415,
      'VALIDATION_FAILED',
      /Content-Type: application\/json/,
    ],
    [
      'a form-encoded body',
      '/invoices',
      { raw: 'chainId=31337', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      'VALIDATION_FAILED',
      /Content-Type: application\/json/,
    ],
    [
      'no Content-Type',
      '/invoices',
      { method: 'POST', raw: JSON.stringify(usdc('1')) },
      415,
      'VALIDATION_FAILED',
      /Content-Type: application\/json/,
    ],
    ['an empty body', '/invoices', { method: 'POST', raw: '', headers: json }, 400, 'VALIDATION_FAILED', /not valid JSON/],
    ['a JSON array', '/invoices', { json: [usdc('1')] }, 400, 'VALIDATION_FAILED', /expected object/],
    ['JSON null', '/invoices', { raw: 'null', headers: json }, 400, 'VALIDATION_FAILED', /expected object/],
    ['an empty object', '/invoices', { json: {} }, 400, 'VALIDATION_FAILED', /chainId.*token.*amount|amount.*chainId/s],
    [
      'amount as a number',
      '/invoices',
      { json: { chainId: 31337, token: 'USDC', amount: 12.5 } },
      400,
      'VALIDATION_FAILED',
      /amount must be a decimal string/,
    ],
    ['amount missing', '/invoices', { json: { chainId: 31337, token: 'USDC' } }, 400, 'VALIDATION_FAILED', /amount/],
    ['amount "0"', '/invoices', { json: usdc('0') }, 422, 'INVOICE_AMOUNT_INVALID', /greater than zero/],
    ['amount "0.000000"', '/invoices', { json: usdc('0.000000') }, 422, 'INVOICE_AMOUNT_INVALID', /greater than zero/],
    ['amount "-1"', '/invoices', { json: usdc('-1') }, 422, 'INVOICE_AMOUNT_INVALID', /positive/],
    ['amount "1e5"', '/invoices', { json: usdc('1e5') }, 422, 'INVOICE_AMOUNT_INVALID', /not a decimal number/],
    ['amount "abc"', '/invoices', { json: usdc('abc') }, 422, 'INVOICE_AMOUNT_INVALID', /not a decimal number/],
    ['amount ""', '/invoices', { json: usdc('') }, 422, 'INVOICE_AMOUNT_INVALID', /not a decimal number/],
    ['amount " 12"', '/invoices', { json: usdc(' 12') }, 422, 'INVOICE_AMOUNT_INVALID', /not a decimal number/],
    ['amount "1,5"', '/invoices', { json: usdc('1,5') }, 422, 'INVOICE_AMOUNT_INVALID', /not a decimal number/],
    ['amount ".5"', '/invoices', { json: usdc('.5') }, 422, 'INVOICE_AMOUNT_INVALID', /not a decimal number/],
    ['7 decimals for USDC', '/invoices', { json: usdc('1.1234567') }, 422, 'INVOICE_AMOUNT_INVALID', /6 decimals/],
    [
      '19 decimals for ETH',
      '/invoices',
      { json: { chainId: 31337, token: 'native', amount: '0.0000000000000000001' } },
      422,
      'INVOICE_AMOUNT_INVALID',
      /18 decimals/,
    ],
    [
      'an amount above 2^128 base units',
      '/invoices',
      { json: usdc(`1${'0'.repeat(40)}`) },
      422,
      'INVOICE_AMOUNT_INVALID',
      /absurdly large/,
    ],
    [
      'an amount of 100+ characters',
      '/invoices',
      { json: usdc('9'.repeat(101)) },
      400,
      'VALIDATION_FAILED',
      /amount is too long/,
    ],
    [
      'chainId as a string',
      '/invoices',
      { json: { chainId: '31337', token: 'USDC', amount: '1' } },
      400,
      'VALIDATION_FAILED',
      /chainId/,
    ],
    [
      'chainId 1.5',
      '/invoices',
      { json: { chainId: 1.5, token: 'USDC', amount: '1' } },
      400,
      'VALIDATION_FAILED',
      /chainId: must be a whole number/,
    ],
    ['chainId 0', '/invoices', { json: { chainId: 0, token: 'USDC', amount: '1' } }, 400, 'VALIDATION_FAILED', /chainId/],
    [
      'an unknown chainId',
      '/invoices',
      { json: { chainId: 999, token: 'USDC', amount: '1' } },
      422,
      'CHAIN_NOT_FOUND',
      /Chain 999 is not configured/,
    ],
    [
      'an unknown token symbol',
      '/invoices',
      { json: usdc('1', { token: 'DOGE' }) },
      422,
      'TOKEN_NOT_FOUND',
      /"DOGE" is not registered.*native, USDC/,
    ],
    [
      'an unknown token address',
      '/invoices',
      { json: usdc('1', { token: `0x${'1'.repeat(40)}` }) },
      422,
      'TOKEN_NOT_FOUND',
      /not registered/,
    ],
    ['an empty token', '/invoices', { json: usdc('1', { token: '' }) }, 400, 'VALIDATION_FAILED', /token: name the token/],
    ['an unknown field', '/invoices', { json: usdc('1', { currency: 'EUR' }) }, 400, 'VALIDATION_FAILED', /currency/],
    [
      'an orderId over 200 characters',
      '/invoices',
      { json: usdc('1', { orderId: 'o'.repeat(201) }) },
      400,
      'VALIDATION_FAILED',
      /orderId/,
    ],
    ['an empty orderId', '/invoices', { json: usdc('1', { orderId: '' }) }, 400, 'VALIDATION_FAILED', /orderId/],
    [
      'metadata as an array',
      '/invoices',
      { json: usdc('1', { metadata: [1, 2] }) },
      400,
      'VALIDATION_FAILED',
      /metadata must be a JSON object/,
    ],
    [
      'metadata as a string',
      '/invoices',
      { json: usdc('1', { metadata: 'note' }) },
      400,
      'VALIDATION_FAILED',
      /metadata must be a JSON object/,
    ],
    [
      'metadata over 16 KiB',
      '/invoices',
      { json: usdc('1', { metadata: { blob: 'x'.repeat(17 * 1024) } }) },
      400,
      'VALIDATION_FAILED',
      /metadata must serialize to at most 16384 bytes/,
    ],
    [
      'expiresInSeconds 0',
      '/invoices',
      { json: usdc('1', { expiresInSeconds: 0 }) },
      400,
      'VALIDATION_FAILED',
      /expiresInSeconds must be at least 1/,
    ],
    [
      'expiresInSeconds 2.5',
      '/invoices',
      { json: usdc('1', { expiresInSeconds: 2.5 }) },
      400,
      'VALIDATION_FAILED',
      /expiresInSeconds must be a whole number/,
    ],
    [
      'expiresInSeconds over 30 days',
      '/invoices',
      { json: usdc('1', { expiresInSeconds: 30 * 24 * 3600 + 1 }) },
      400,
      'VALIDATION_FAILED',
      /expiresInSeconds must be at most 2592000/,
    ],
    [
      'expiresInSeconds as a string',
      '/invoices',
      { json: usdc('1', { expiresInSeconds: '60' }) },
      400,
      'VALIDATION_FAILED',
      /expiresInSeconds/,
    ],
    [
      'a body over 64 KiB',
      '/invoices',
      { json: usdc('1', { metadata: { blob: 'x'.repeat(70 * 1024) } }) },
      413,
      'VALIDATION_FAILED',
      /64 KiB/,
    ],
    [
      'an Idempotency-Key with a space',
      '/invoices',
      { json: usdc('1'), headers: { 'idempotency-key': 'two words' } },
      400,
      'VALIDATION_FAILED',
      /Idempotency-Key must be printable ASCII/,
    ],
    [
      'an Idempotency-Key of 256 characters',
      '/invoices',
      { json: usdc('1'), headers: { 'idempotency-key': 'k'.repeat(256) } },
      400,
      'VALIDATION_FAILED',
      /Idempotency-Key may be at most 255/,
    ],
    ['limit=0', '/invoices?limit=0', {}, 400, 'VALIDATION_FAILED', /limit/],
    ['limit=abc', '/invoices?limit=abc', {}, 400, 'VALIDATION_FAILED', /limit/],
    ['limit=501', '/invoices?limit=501', {}, 400, 'VALIDATION_FAILED', /limit/],
    ['limit=2.5', '/invoices?limit=2.5', {}, 400, 'VALIDATION_FAILED', /limit must be a whole number/],
    ['status=bogus', '/invoices?status=bogus', {}, 400, 'VALIDATION_FAILED', /status/],
    ['an unknown query parameter', '/invoices?colour=red', {}, 400, 'VALIDATION_FAILED', /colour/],
    ['a cursor that was never given out', '/invoices?cursor=bm9wZQ', {}, 400, 'VALIDATION_FAILED', /cursor/],
    ['an invoice id over 64 characters', `/invoices/${'i'.repeat(65)}`, {}, 400, 'VALIDATION_FAILED', /id/],
    ['an unknown route', '/refunds', {}, 404, 'NOT_FOUND', /No route GET \/api\/v1\/refunds/],
    ['DELETE on an invoice', '/invoices/INVOICE_ID', { method: 'DELETE' }, 404, 'NOT_FOUND', /No route DELETE/],
    ['PUT on the collection', '/invoices', { method: 'PUT', json: usdc('1') }, 404, 'NOT_FOUND', /No route PUT/],
  ];

  // BUG: the last three cases fail. The merchant sub-app's notFound() is not used once it is
  // mounted with app.route('/api/v1', …): unknown GET routes fall through to the UI's index.html
  // (200 text/html), other methods get Hono's plain-text "404 Not Found", not the JSON error body.
  it.each(cases)('refuses %s with a helpful 4xx', async (_name, path, options, status, code, hint) => {
    const response = await api(path.replace('INVOICE_ID', invoiceId), options);
    expect(response.status).toBe(status);
    expectErrorShape(response.body, code);
    expect(response.body.error.message).toMatch(hint);
  });

  it('names each wrong field in error.details', async () => {
    const response = await api('/invoices', { json: { chainId: 'x', token: '', amount: 5, expiresInSeconds: -1 } });
    expect(response.status).toBe(400);
    expect((response.body as ErrorBody).error.details).toEqual(
      expect.arrayContaining(
        ['chainId', 'token', 'amount', 'expiresInSeconds'].map((path) =>
          expect.objectContaining({ path, message: expect.any(String) }),
        ),
      ),
    );
  });

  it('is still healthy afterwards, and none of them created an invoice', async () => {
    expect(server.engine.store.invoices.count()).toBe(invoicesBefore);
    const list = await api('/invoices');
    expect(list.body.items.map((invoice: Invoice) => invoice.id)).toEqual([invoiceId]);
    expect((await api('/health', { key: null })).body.status).toBe('ok');
    expect((await api('/invoices', { json: usdc('1') })).status).toBe(201);
  });
});

describe('merchant API: concurrency', () => {
  it('gives 50 concurrent creations 50 distinct indexes and addresses', async () => {
    const server = await startTestServer();
    try {
      const api = client(server, (await newKey(server, ['invoices:read', 'invoices:write'])).secret);
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) => api('/invoices', { json: usdc(`${i + 1}.5`, { orderId: `c-${i}` }) })),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(50).fill(201));
      const invoices = responses.map((response) => response.body as Invoice);
      expect(new Set(invoices.map((invoice) => invoice.derivationIndex)).size).toBe(50);
      expect(new Set(invoices.map((invoice) => invoice.address)).size).toBe(50);
      expect(invoices.map((invoice) => invoice.derivationIndex).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 50 }, (_, i) => i),
      );
      for (const invoice of invoices.slice(0, 5)) {
        expect(invoice.address).toBe(mnemonicToAccount(TEST_MNEMONIC, { addressIndex: invoice.derivationIndex }).address);
      }
      expect(server.engine.store.invoices.count()).toBe(50);
    } finally {
      await server.close();
    }
  });
});
