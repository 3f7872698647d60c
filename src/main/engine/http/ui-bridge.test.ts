import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invoice } from '../../../shared/domain.ts';
import { startTestEngine, startTestServer } from '../../../../test/fixtures/engine.ts';
import { startHttpServer } from './server.ts';

type TestServer = Awaited<ReturnType<typeof startTestServer>>;

/** Exchanges a login token for the session cookie, as the browser does with the printed link. */
async function login(
  server: Pick<TestServer, 'url'>,
  token: string,
): Promise<{ response: Response; cookie: string | undefined }> {
  const response = await fetch(`${server.url}/?token=${encodeURIComponent(token)}`, { redirect: 'manual' });
  const setCookie = response.headers.get('set-cookie') ?? undefined;
  return { response, cookie: setCookie?.split(';')[0] };
}

/** A parsed RPC answer; tests check its shape with assertions, so it is deliberately loose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type Body = any;

async function rpc(
  server: TestServer,
  method: string,
  input: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; body: Body }> {
  const response = await fetch(`${server.url}/ui/rpc/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** node:http, because fetch may not let a test choose the Host header. */
function getWithHost(server: TestServer, path: string, host: string): Promise<{ status: number; body: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET', headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface SseEvent {
  event: string;
  data: string;
}

/** Reads server-sent events until `stop` says so or the deadline passes. */
async function readEvents(response: Response, stop: (event: SseEvent) => boolean, deadlineMs: number): Promise<SseEvent[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  let buffer = '';
  const deadline = Date.now() + deadlineMs;
  try {
    while (Date.now() < deadline) {
      const timeout = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now())).unref(),
      );
      const next = await Promise.race([reader.read(), timeout]);
      if (next === 'timeout' || next.done) break;
      buffer += next.value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: SseEvent = { event: 'message', data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event.event = line.slice(6).trim();
          if (line.startsWith('data:')) event.data += line.slice(5).trim();
        }
        events.push(event);
        if (stop(event)) return events;
      }
    }
    return events;
  } finally {
    await reader.cancel().catch(() => {});
  }
}

describe('UI bridge over HTTP', () => {
  let server: TestServer;
  let cookie: string;
  beforeAll(async () => {
    server = await startTestServer();
    const session = await login(server, server.loginToken);
    cookie = session.cookie!;
  });
  afterAll(() => server.close());

  it('refuses RPC without a session with 401 UNAUTHORIZED as data', async () => {
    for (const headers of [{}, { cookie: 'till_session=forged' }, { cookie: 'till_session=' }] as Record<string, string>[]) {
      const response = await rpc(server, 'wallet.status', {}, headers);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: expect.stringContaining('?token=') } });
    }
  });

  it('with onLoginLinkUsed, each used link yields the next one-time link, and only that one works', async () => {
    const test = await startTestEngine();
    const next: string[] = [];
    const http = await startHttpServer({
      engine: test.engine,
      host: '127.0.0.1',
      port: 0,
      onLoginLinkUsed: (token) => next.push(token),
    });
    const server = { url: http.url };
    try {
      expect((await login(server, http.loginToken)).response.status).toBe(302);
      expect(next).toHaveLength(1);
      expect(next[0]).not.toBe(http.loginToken);
      expect((await login(server, http.loginToken)).response.status).toBe(401);
      expect(next).toHaveLength(1); // a refused link mints nothing
      expect((await login(server, next[0]!)).response.status).toBe(302);
      expect(next).toHaveLength(2);
      expect((await login(server, next[0]!)).response.status).toBe(401);
    } finally {
      await http.close();
      await test.close();
    }
  });

  it('exchanges the login token for an HttpOnly, SameSite=Strict session cookie, once', async () => {
    const fresh = await startTestServer();
    try {
      const first = await login(fresh, fresh.loginToken);
      expect(first.response.status).toBe(302);
      expect(first.response.headers.get('location')).toBe('/');
      const setCookie = first.response.headers.get('set-cookie')!;
      expect(setCookie).toMatch(/^till_session=[A-Za-z0-9_-]{40,};/);
      expect(setCookie).toMatch(/;\s*HttpOnly/i);
      expect(setCookie).toMatch(/;\s*SameSite=Strict/i);
      expect(setCookie).toMatch(/;\s*Path=\//i);

      const again = await login(fresh, fresh.loginToken);
      expect(again.response.status).toBe(401);
      expect(again.response.headers.get('set-cookie')).toBeNull();
      expect(await again.response.text()).toMatch(/already used or is wrong/);

      expect((await rpc(fresh, 'wallet.status', {}, { cookie: first.cookie! })).body.ok).toBe(true);
    } finally {
      await fresh.close();
    }
  });

  it('keeps other query parameters when it drops the token from the URL', async () => {
    const { response } = await login(server, `${server.loginToken}-wrong`);
    expect(response.status).toBe(401);
    const fresh = await startTestServer();
    try {
      const redirected = await fetch(`${fresh.url}/invoices?token=${fresh.loginToken}&tab=open`, { redirect: 'manual' });
      expect(redirected.status).toBe(302);
      expect(redirected.headers.get('location')).toBe('/invoices?tab=open');
    } finally {
      await fresh.close();
    }
  });

  it('answers wallet.status with the session cookie', async () => {
    const response = await rpc(server, 'wallet.status', {}, { cookie });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      ok: true,
      value: {
        exists: true,
        fingerprint: expect.stringMatching(/^[0-9a-f]{8}$/i),
        keystore: 'file',
        treasury: null,
        nextIndex: expect.any(Number),
      },
    });
  });

  it('answers bad input with VALIDATION_FAILED naming the field', async () => {
    const created = await rpc(server, 'invoices.create', { chainId: 'x', token: 'USDC', amount: '1' }, { cookie });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('chainId') },
    });

    const extra = await rpc(server, 'wallet.status', { secret: 1 }, { cookie });
    expect(extra.body).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('secret') },
    });

    const key = await rpc(server, 'apiKeys.create', { name: ' ', scopes: [] }, { cookie });
    expect(key.body.ok).toBe(false);
    expect(key.body.error.message).toMatch(/name/);
    expect(key.body.error.message).toMatch(/scopes/);
  });

  it('answers an engine refusal as data, not as an HTTP error', async () => {
    const response = await rpc(server, 'invoices.get', { id: 'inv_NOPE' }, { cookie });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ok: false, error: { code: 'INVOICE_NOT_FOUND' } });
  });

  it('refuses a non-JSON content type with 415 and a non-JSON body with 400', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const response = await fetch(`${server.url}/ui/rpc/wallet.status`, {
        method: 'POST',
        headers: { cookie, 'content-type': contentType },
        body: '{}',
      });
      expect(response.status, contentType).toBe(415);
      expect(await response.json()).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('application/json') },
      });
    }
    const broken = await fetch(`${server.url}/ui/rpc/wallet.status`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('has no route for a method the contract does not name', async () => {
    const response = await fetch(`${server.url}/ui/rpc/wallet.exportMnemonic`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(404);
  });

  it('refuses the event stream without a session', async () => {
    const response = await fetch(`${server.url}/ui/events`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('streams invoice.changed after an invoice is created over RPC', async () => {
    const abort = new AbortController();
    try {
      const stream = await fetch(`${server.url}/ui/events`, { headers: { cookie }, signal: abort.signal });
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);

      let created: Invoice | undefined;
      const events = await readEvents(
        stream,
        (event) => {
          // The first keepalive is written after the subscriptions, so creating now cannot be missed.
          if (event.event === 'keepalive' && !created) {
            void rpc(
              server,
              'invoices.create',
              { chainId: 31337, token: 'USDC', amount: '7.25', orderId: 'sse-1' },
              { cookie },
            ).then((result) => {
              created = result.body.value;
            });
          }
          return event.event === 'invoice.changed' && JSON.parse(event.data).invoice.orderId === 'sse-1';
        },
        10_000,
      );
      const changed = events.find((event) => event.event === 'invoice.changed');
      expect(changed, `events seen: ${JSON.stringify(events)}`).toBeDefined();
      const payload = JSON.parse(changed!.data) as { invoice: Invoice };
      expect(payload.invoice).toMatchObject({ orderId: 'sse-1', amount: '7.25', status: 'pending', chainId: 31337 });
      if (created) expect(payload.invoice.id).toBe(created.id);
    } finally {
      abort.abort();
    }
  });

  it.each([['evil.example'], ['evil.example:7420'], ['localhost.evil.example']])(
    'refuses Host: %s with 403 (DNS rebinding guard)',
    async (host) => {
      for (const path of ['/', '/ui/events', '/api/v1/health']) {
        const response = await getWithHost(server, path, host);
        expect(response.status, path).toBe(403);
        expect(JSON.parse(response.body)).toMatchObject({
          error: { code: 'FORBIDDEN', message: expect.stringContaining('127.0.0.1') },
        });
      }
    },
  );

  // BUG: the guard accepts any Host that starts with "127.", so a rebinding domain such as
  // 127.attacker.example (a valid DNS name) passes. Only IPv4 literals in 127/8 should.
  it.each([['127.attacker.example'], ['127.0.0.1.evil.example']])(
    'refuses Host: %s, a DNS name that only looks like loopback',
    async (host) => {
      const response = await getWithHost(server, '/api/v1/health', `${host}:${new URL(server.url).port}`);
      expect(response.status).toBe(403);
    },
  );

  it.each([['127.0.0.1'], ['localhost'], ['[::1]']])('accepts Host: %s with the port', async (host) => {
    const response = await getWithHost(server, '/api/v1/health', `${host}:${new URL(server.url).port}`);
    expect(response.status).toBe(200);
  });

  it('sends security headers with a strict Content-Security-Policy', async () => {
    for (const path of ['/', '/api/v1/health']) {
      const response = await fetch(`${server.url}${path}`, { redirect: 'manual' });
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});
