import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import { eventNames, HTTP_EVENTS_ROUTE, httpRoute, methodNames } from '../../../shared/contract.ts';
import { uiExportRoute } from '../../../shared/contract-names.ts';
import { exportFileName, ExportKinds, ExportRangeSchema } from '../../../shared/exports.ts';
import { databasePath, type Engine } from '../engine.ts';
import { exportStream } from '../exports/csv-export.ts';
import { describeZodError } from '../lib/zod-errors.ts';

const SESSION_COOKIE = 'till_session';

export interface UiSessions {
  /** The one-time login token printed by `till serve`. */
  loginToken: string;
  /** Mints a new one-time token (the old one stays valid until used). */
  newLoginToken(): string;
}

const sameSecret = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/**
 * The contract over HTTP for the browser UI: one POST route per contract method, server-sent
 * events for pushes, behind a session cookie obtained by exchanging the one-time login token.
 * The cookie is HttpOnly + SameSite=Strict, and RPC requires a JSON content type (which a
 * cross-site form cannot send without a CORS preflight we never grant), so CSRF has no way in.
 */
export function createUiBridge(engine: Engine, options: { onLoginLinkUsed?: (nextToken: string) => void } = {}) {
  const loginTokens = new Set<string>();
  const sessions = new Set<string>();
  const newLoginToken = (): string => {
    const token = randomBytes(24).toString('base64url');
    loginTokens.add(token);
    return token;
  };
  const uiSessions: UiSessions = { loginToken: newLoginToken(), newLoginToken };

  const hasSession = (cookie: string | undefined): boolean =>
    cookie !== undefined && [...sessions].some((session) => sameSecret(session, cookie));

  const app = new Hono();

  // GET /?token=… : exchange the one-time token for a session cookie, then drop it from the URL.
  app.use('*', async (c, next) => {
    const token = c.req.method === 'GET' ? c.req.query('token') : undefined;
    if (token === undefined) return next();
    const match = [...loginTokens].find((candidate) => sameSecret(candidate, token));
    if (!match) {
      return c.html(
        '<!doctype html><meta charset="utf-8"><title>Till</title><p>This login link was already used or is wrong. ' +
          'Restart <code>till serve</code> or use the newest link it printed.</p>',
        401,
      );
    }
    loginTokens.delete(match);
    // Each link works once; the next browser (another device, a private window) needs a new one.
    if (options.onLoginLinkUsed) options.onLoginLinkUsed(newLoginToken());
    const session = randomBytes(32).toString('base64url');
    sessions.add(session);
    setCookie(c, SESSION_COOKIE, session, { httpOnly: true, sameSite: 'Strict', path: '/' });
    const url = new URL(c.req.url);
    url.searchParams.delete('token');
    return c.redirect(url.pathname + url.search, 302);
  });

  const requireSession = async (c: Parameters<Parameters<typeof app.use>[1]>[0], next: () => Promise<void>) => {
    if (!hasSession(getCookie(c, SESSION_COOKIE))) {
      return c.json(
        {
          ok: false,
          error: {
            code: 'UNAUTHORIZED',
            message: 'Your session has expired. Open the link with ?token= that till serve printed.',
          },
        },
        401,
      );
    }
    await next();
  };

  for (const method of methodNames) {
    app.post(httpRoute(method), requireSession, async (c) => {
      if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
        return c.json(
          { ok: false, error: { code: 'VALIDATION_FAILED', message: 'Send JSON with Content-Type: application/json.' } },
          415,
        );
      }
      let input: unknown;
      try {
        input = await c.req.json();
      } catch {
        return c.json({ ok: false, error: { code: 'VALIDATION_FAILED', message: 'The request body is not valid JSON.' } }, 400);
      }
      const result = await engine.call(method, input);
      return c.json(result, 200);
    });
  }

  // The browser UI's export download: the merchant API's CSV behind the session instead of an API
  // key. Internal to the UI (not in docs/API.md); scripts use GET /api/v1/exports/{kind}.csv.
  // A GET is safe here: it changes nothing, and the SameSite=Strict cookie is not sent from
  // another site's link.
  for (const kind of ExportKinds) {
    app.get(uiExportRoute(kind), requireSession, (c) => {
      const range = ExportRangeSchema.safeParse({ from: c.req.query('from') || undefined, to: c.req.query('to') || undefined });
      if (!range.success) {
        return c.json({ ok: false, error: { code: 'VALIDATION_FAILED', message: describeZodError(range.error, 'period') } }, 400);
      }
      const name = exportFileName(kind, range.data, new Date().toISOString());
      return c.body(exportStream(databasePath(engine.dataDir), kind, range.data), 200, {
        'Content-Type': 'text/csv; charset=utf-8; header=present',
        'Content-Disposition': `attachment; filename="${name}"`,
        'Cache-Control': 'no-store',
      });
    });
  }

  app.get(HTTP_EVENTS_ROUTE, requireSession, (c) =>
    streamSSE(c, async (stream) => {
      const unsubscribers = eventNames.map((event) =>
        engine.subscribe(event, (payload) => {
          void stream.writeSSE({ event, data: JSON.stringify(payload) });
        }),
      );
      let open = true;
      stream.onAbort(() => {
        open = false;
      });
      while (open) {
        await stream.writeSSE({ event: 'keepalive', data: '{}' });
        await stream.sleep(15_000);
      }
      for (const unsubscribe of unsubscribers) unsubscribe();
    }),
  );

  return { app, sessions: uiSessions };
}
