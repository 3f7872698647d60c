import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../../../test/fixtures/engine.ts';

type TestServer = Awaited<ReturnType<typeof startTestServer>>;

describe('the browser UI export download (/ui/exports/{kind}.csv)', () => {
  let server: TestServer;
  let cookie: string;
  let apiKey: string;
  beforeAll(async () => {
    server = await startTestServer();
    const login = await fetch(`${server.url}/?token=${encodeURIComponent(server.loginToken)}`, { redirect: 'manual' });
    cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    apiKey = (await server.engine.invoke('apiKeys.create', { name: 'books', scopes: ['invoices:read'] })).secret;
    for (const orderId of ['B-1', 'B-2, "gift"'])
      await server.engine.invoke('invoices.create', { chainId: 31337, token: 'USDC', amount: '2', orderId });
  });
  afterAll(() => server.close());

  const download = (path: string, headers: Record<string, string> = { cookie }) =>
    fetch(`${server.url}${path}`, { headers, redirect: 'manual' });

  it('streams the same CSV as the merchant API, as an attachment named for the period', async () => {
    const query = '?from=2000-01-01&to=2100-01-01';
    const ui = await download(`/ui/exports/invoices.csv${query}`);
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(ui.headers.get('content-disposition')).toBe('attachment; filename="till-invoices-2000-01-01-to-2099-12-31.csv"');
    expect(ui.headers.get('cache-control')).toBe('no-store');
    const api = await download(`/api/v1/exports/invoices.csv${query}`, { authorization: `Bearer ${apiKey}` });
    expect(api.status).toBe(200);
    const text = await ui.text();
    expect(text).toBe(await api.text());
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(3);
    expect(text).toContain('"B-2, ""gift"""');
  });

  it('a period before every invoice is the header alone', async () => {
    const response = await download('/ui/exports/invoices.csv?from=2001-01-01&to=2001-02-01');
    const text = await response.text();
    expect(text.startsWith('invoice_id,order_id,created_at,')).toBe(true);
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(1);
  });

  it('refuses without the session cookie, and an API key is no session', async () => {
    for (const headers of [{}, { cookie: 'till_session=forged' }, { authorization: `Bearer ${apiKey}` }] as Record<
      string,
      string
    >[]) {
      const response = await download('/ui/exports/sweeps.csv', headers);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    }
  });

  it('refuses a day that does not exist and a backward period with VALIDATION_FAILED', async () => {
    for (const query of ['?from=2026-11-31', '?from=2026-12-02&to=2026-12-01', '?to=soon']) {
      const response = await download(`/ui/exports/payments.csv${query}`);
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('has no route for a kind that is not exported', async () => {
    const response = await download('/ui/exports/wallet.csv');
    expect(response.headers.get('content-disposition')).toBeNull();
  });
});
