import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ApiKeyInfo, ApiKeyScope } from '../../../shared/domain.ts';
import { CreateInvoiceInputSchema, InvoiceSchema, InvoiceStatusSchema } from '../../../shared/domain.ts';
import { authenticateApiKey, hasScope } from '../access/api-keys.ts';
import type { Engine } from '../engine.ts';
import { isoTime } from '../lib/clock.ts';
import { TillError, toErrorData } from '../lib/errors.ts';
import { TILL_VERSION } from '../lib/version.ts';
import { describeZodError, formatPath } from '../lib/zod-errors.ts';
import { createInvoiceFromRequest } from '../invoices/create-invoice.ts';
import { loadInvoiceView } from '../invoices/invoice-view.ts';
import { getInvoice, invoiceQrSvg, listInvoices } from '../api/invoice-ops.ts';
import { errorResponse } from './http-errors.ts';
import { ExportKinds, ExportRangeSchema } from '../../../shared/exports.ts';
import { exportStream } from '../exports/csv-export.ts';
import { databasePath } from '../engine.ts';

type Env = { Variables: { apiKey: ApiKeyInfo } };

const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }) })
  .meta({ id: 'Error' });
const errorResponses = {
  400: { description: 'Malformed request', content: { 'application/json': { schema: ErrorSchema } } },
  401: { description: 'Missing, unknown or revoked API key', content: { 'application/json': { schema: ErrorSchema } } },
  403: { description: 'The API key lacks the needed scope', content: { 'application/json': { schema: ErrorSchema } } },
};
const InvoiceIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .meta({ param: { name: 'id', in: 'path' }, example: 'inv_7K3Q9X2M4T8B1V6N5R0P' }),
});
const IdempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255, 'Idempotency-Key may be at most 255 characters')
    .regex(/^[\x21-\x7e]+$/, 'Idempotency-Key must be printable ASCII without spaces')
    .optional()
    .meta({ description: 'Same key and body return the same invoice; same key with another body is 409' }),
});

const routes = {
  createInvoice: createRoute({
    method: 'post',
    path: '/invoices',
    summary: 'Create an invoice',
    security: [{ bearer: [] }],
    request: {
      headers: IdempotencyHeader,
      body: { required: true, content: { 'application/json': { schema: CreateInvoiceInputSchema } } },
    },
    responses: {
      200: {
        description: 'Replay of an Idempotency-Key: the invoice created the first time',
        content: { 'application/json': { schema: InvoiceSchema } },
      },
      201: { description: 'Created', content: { 'application/json': { schema: InvoiceSchema } } },
      409: {
        description: 'Idempotency-Key reused with another body, or no wallet yet',
        content: { 'application/json': { schema: ErrorSchema } },
      },
      422: { description: 'Unknown chain or token, or invalid amount', content: { 'application/json': { schema: ErrorSchema } } },
      ...errorResponses,
    },
  }),
  getInvoice: createRoute({
    method: 'get',
    path: '/invoices/{id}',
    summary: 'Get an invoice',
    security: [{ bearer: [] }],
    request: { params: InvoiceIdParam },
    responses: {
      200: { description: 'The invoice', content: { 'application/json': { schema: InvoiceSchema } } },
      404: { description: 'No such invoice', content: { 'application/json': { schema: ErrorSchema } } },
      ...errorResponses,
    },
  }),
  listInvoices: createRoute({
    method: 'get',
    path: '/invoices',
    summary: 'List invoices, newest first',
    security: [{ bearer: [] }],
    request: {
      query: z.strictObject({
        status: InvoiceStatusSchema.optional(),
        orderId: z.string().min(1).max(200).optional(),
        limit: z.coerce.number().int('limit must be a whole number').min(1).max(500).optional().meta({ example: 50 }),
        cursor: z.string().max(200).optional().meta({ description: 'nextCursor of the previous page' }),
      }),
    },
    responses: {
      200: {
        description: 'A page of invoices',
        content: {
          'application/json': { schema: z.object({ items: z.array(InvoiceSchema), nextCursor: z.string().nullable() }) },
        },
      },
      ...errorResponses,
    },
  }),
  invoiceQr: createRoute({
    method: 'get',
    path: '/invoices/{id}/qr.svg',
    summary: 'QR code of the invoice’s payment URI',
    security: [{ bearer: [] }],
    request: { params: InvoiceIdParam },
    responses: {
      200: { description: 'SVG image', content: { 'image/svg+xml': { schema: z.string() } } },
      404: { description: 'No such invoice', content: { 'application/json': { schema: ErrorSchema } } },
      ...errorResponses,
    },
  }),
  health: createRoute({
    method: 'get',
    path: '/health',
    summary: 'Liveness and readiness; needs no key and shows no secrets',
    responses: {
      200: {
        description: 'Healthy',
        content: {
          'application/json': {
            schema: z.object({
              status: z.literal('ok'),
              version: z.string(),
              walletReady: z.boolean(),
              chains: z.array(z.object({ chainId: z.number(), name: z.string(), enabled: z.boolean() })),
              time: z.string(),
            }),
          },
        },
      },
    },
  }),
};

/** One route per export: a fixed path each, as a spreadsheet or a script would fetch it. */
const exportRoutes = ExportKinds.map((kind) =>
  createRoute({
    method: 'get',
    path: `/exports/${kind}.csv`,
    summary: `CSV of ${kind} for a period (RFC 4180, UTF-8, ISO-8601 UTC times, exact decimal amounts), streamed`,
    security: [{ bearer: [] }],
    request: {
      query: z.object({
        from: z.string().optional().openapi({ description: 'Inclusive: a day (2026-11-01) or an ISO-8601 time' }),
        to: z.string().optional().openapi({ description: 'Exclusive: 2026-12-01 ends November' }),
      }),
    },
    responses: {
      200: { description: 'The CSV, header line first', content: { 'text/csv': { schema: z.string() } } },
      ...errorResponses,
    },
  }),
);

const PUBLIC_PATHS = new Set(['/api/v1/health', '/api/v1/openapi.json']);

const requireScope =
  (scope: ApiKeyScope): MiddlewareHandler<Env> =>
  async (c, next) => {
    const key = c.get('apiKey') as ApiKeyInfo | undefined;
    if (!key) return errorResponse(c, { code: 'UNAUTHORIZED', message: 'Send your API key as "Authorization: Bearer <key>".' });
    if (!hasScope(key, scope)) {
      return errorResponse(c, {
        code: 'FORBIDDEN',
        message: `This API key lacks the "${scope}" scope. Create a key with --scope ${scope}.`,
      });
    }
    await next();
  };

/**
 * Merchant HTTP API v1 for the shop's backend. The zod schemas that validate requests are the
 * ones that generate /api/v1/openapi.json, so the document cannot drift from the behaviour.
 */
export function createMerchantApi(engine: Engine) {
  const { store } = engine;
  const lastTouched = new Map<string, number>();

  const app = new OpenAPIHono<Env>({
    // Every validation failure answers in the one error format, naming each wrong field.
    defaultHook: (result, c) => {
      if (result.success) return;
      const target = (result as { target?: string }).target ?? 'request';
      const subject =
        target === 'json' ? 'request body' : target === 'query' ? 'query string' : target === 'header' ? 'headers' : target;
      return errorResponse(c, {
        code: 'VALIDATION_FAILED',
        message: `Invalid ${subject}: ${describeZodError(result.error, subject)}`,
        details: result.error.issues.slice(0, 20).map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
      });
    },
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key from `till apikey create` or Settings → API keys',
  });

  app.use(
    '*',
    bodyLimit({
      maxSize: 64 * 1024,
      onError: (c) => errorResponse(c, { code: 'VALIDATION_FAILED', message: 'The request body is larger than 64 KiB.' }, 413),
    }),
  );

  app.use('*', async (c, next) => {
    if (PUBLIC_PATHS.has(c.req.path)) return next();
    const header = c.req.header('authorization');
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      return errorResponse(c, {
        code: 'UNAUTHORIZED',
        message:
          'Send your API key as "Authorization: Bearer <key>". Create one with: till apikey create --name shop --scope invoices:write',
      });
    }
    const key = authenticateApiKey(store, match[1]!);
    if (!key)
      return errorResponse(c, {
        code: 'UNAUTHORIZED',
        message: 'This API key is unknown or revoked. Check it, or create a new one with: till apikey create',
      });
    // Recording last use costs a write; once a minute per key is plenty for the settings screen.
    const now = Date.now();
    if ((lastTouched.get(key.id) ?? 0) < now - 60_000) {
      lastTouched.set(key.id, now);
      store.apiKeys.touch(key.id, isoTime(now));
    }
    c.set('apiKey', key);
    await next();
  });

  // Checked before the validator so a form post or text body gets a clear 415, not "chainId: required".
  app.use('/invoices', async (c, next) => {
    if (c.req.method === 'POST' && !/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
      return errorResponse(
        c,
        { code: 'VALIDATION_FAILED', message: 'Send the request body as JSON with Content-Type: application/json.' },
        415,
      );
    }
    await next();
  });

  // Hono's '/invoices/*' also matches '/invoices': one rule for the whole subtree.
  app.use('/invoices/*', async (c, next) => requireScope(c.req.method === 'GET' ? 'invoices:read' : 'invoices:write')(c, next));

  app.openapi(routes.createInvoice, async (c) => {
    const body = c.req.valid('json');
    const idempotencyKey = c.req.valid('header')['idempotency-key'];
    const { invoice, created } = await createInvoiceFromRequest(
      engine.invoiceDeps,
      body,
      idempotencyKey ? { apiKeyId: c.var.apiKey.id, key: idempotencyKey, body } : undefined,
    );
    if (created) engine.publishOutbox();
    return c.json(loadInvoiceView(store, invoice), created ? 201 : 200);
  });
  app.openapi(routes.getInvoice, (c) => c.json(getInvoice(store, c.req.valid('param').id), 200));
  app.openapi(routes.listInvoices, (c) => c.json(listInvoices(store, c.req.valid('query')), 200));
  app.openapi(routes.invoiceQr, async (c) => {
    const { svg } = await invoiceQrSvg(store, c.req.valid('param').id);
    return c.body(svg, 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'private, max-age=300' });
  });
  app.use('/exports/*', requireScope('invoices:read'));
  for (const [index, kind] of ExportKinds.entries()) {
    app.openapi(exportRoutes[index]!, (c) => {
      const range = ExportRangeSchema.safeParse(c.req.valid('query'));
      if (!range.success)
        return errorResponse(c, {
          code: 'VALIDATION_FAILED',
          message: `Invalid query string: ${describeZodError(range.error, 'query string')}`,
        });
      const day = new Date().toISOString().slice(0, 10);
      return c.body(exportStream(databasePath(engine.dataDir), kind, range.data), 200, {
        'Content-Type': 'text/csv; charset=utf-8; header=present',
        'Content-Disposition': `attachment; filename="till-${kind}-${day}.csv"`,
        'Cache-Control': 'no-store',
      });
    });
  }
  app.openapi(routes.health, (c) => {
    const status = engine.status();
    return c.json(
      {
        status: 'ok' as const,
        version: TILL_VERSION,
        walletReady: status.walletReady,
        chains: status.chains,
        time: new Date().toISOString(),
      },
      200,
    );
  });

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Till merchant API',
      version: TILL_VERSION,
      description: 'Create and read crypto payment invoices on your own Till.',
    },
    servers: [{ url: '/api/v1' }],
  });

  // notFound() of a mounted sub-app never runs; a last catch-all keeps unknown API routes from
  // falling through to the UI's static files.
  app.all('*', (c) =>
    errorResponse(c, {
      code: 'NOT_FOUND',
      message: `No route ${c.req.method} ${c.req.path}. See /api/v1/openapi.json for the API.`,
    }),
  );
  app.onError((error, c) => {
    if (error instanceof TillError) return errorResponse(c, error.toData());
    // Hono's own 4xx, e.g. a body that is not JSON: a clear client error, never a 500.
    if (error instanceof HTTPException && error.status < 500) {
      const message = /json/i.test(error.message) ? 'The request body is not valid JSON.' : error.message;
      return errorResponse(c, { code: 'VALIDATION_FAILED', message }, error.status);
    }
    engine.logger.error({ err: error, path: c.req.path }, 'merchant API request failed');
    return errorResponse(c, toErrorData(error));
  });
  return app;
}

export type { Context };
