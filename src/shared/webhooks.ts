/**
 * Webhooks as the UI, the CLI and the config file see them. The event type names and the
 * delivery payload are a public contract (shops verify and parse them): never rename one.
 */
import { z } from 'zod';

/** Every event an invoice's outbox can carry, in the order an invoice usually meets them. */
export const InvoiceEventTypes = [
  'invoice.created',
  'invoice.payment_received',
  'invoice.detected',
  'invoice.confirmed',
  'invoice.settled',
  'invoice.expired',
  'invoice.paid_late',
  'invoice.reverted',
  'invoice.invalid',
  'invoice.marked_paid',
] as const;
export type InvoiceEventType = (typeof InvoiceEventTypes)[number];

/** `ping` is sent on demand to one endpoint; it is never fanned out. */
export const WebhookEventTypes = [...InvoiceEventTypes, 'ping'] as const;
export type WebhookEventType = (typeof WebhookEventTypes)[number];

// One enum rather than a union with '*': a union reports only "Invalid input" and loses this message.
export const WebhookEventFilterSchema = z.enum(['*', ...WebhookEventTypes], {
  error: (issue) =>
    `an event type looks like "invoice.confirmed", and "${String(issue.input).slice(0, 40)}" is not one (the types: ${WebhookEventTypes.join(', ')}; or "*" for all)`,
});

export const WebhookUrlSchema = z
  .string()
  .trim()
  .max(2000, 'a webhook URL is at most 2,000 characters')
  .url('must be a URL such as https://shop.example/till-webhook')
  .refine((url) => /^https?:\/\//i.test(url), 'a webhook URL must start with http:// or https://');

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
export const WebhookSecretSchema = z
  .string()
  .min(16, 'a webhook secret must be at least 16 characters')
  .max(200, 'a webhook secret is at most 200 characters')
  .regex(/^[\x21-\x7e]+$/, 'a webhook secret is printable ASCII without spaces');

export const WebhookEventsSchema = z
  .array(WebhookEventFilterSchema)
  .min(1, 'list at least one event type, or "*" for all')
  .max(WebhookEventTypes.length + 1)
  .transform((events) => (events.includes('*') ? ['*' as const] : [...new Set(events)]));

export const WebhookEndpointInputSchema = z.strictObject({
  url: WebhookUrlSchema,
  events: WebhookEventsSchema.default(['*']),
  description: z.string().trim().max(200, 'a description is at most 200 characters').default(''),
  enabled: z.boolean().default(true),
  /** Given by the merchant; otherwise Till generates one and shows it once. */
  secret: WebhookSecretSchema.optional(),
  maxConcurrency: z.number().int().min(1).max(64).default(4),
});
export type WebhookEndpointInput = z.input<typeof WebhookEndpointInputSchema>;

export const WebhookDeliveryStatuses = ['pending', 'sending', 'failed', 'succeeded', 'dead', 'superseded'] as const;
export type WebhookDeliveryStatus = (typeof WebhookDeliveryStatuses)[number];

export interface WebhookEndpointHealth {
  /** Succeeded attempts over all attempts in the last 24 h; null without attempts. */
  successRate24h: number | null;
  attempts24h: number;
  lastAttemptAt: string | null;
  /** HTTP status of the last attempt, null for a network error or timeout. */
  lastHttpStatus: number | null;
  lastError: string | null;
  /** Created time of the oldest event not yet delivered to this endpoint. */
  oldestUndeliveredAt: string | null;
  undelivered: number;
  dead: number;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  /** Why Till disabled it (e.g. it answered 410 Gone); null when enabled or disabled by the operator. */
  disabledReason: string | null;
  maxConcurrency: number;
  source: 'app' | 'config';
  /** Last characters of each active secret, newest first; the secrets themselves are never shown again. */
  secrets: { id: string; hint: string; createdAt: string; expiresAt: string | null }[];
  createdAt: string;
  updatedAt: string;
  health: WebhookEndpointHealth;
}

export interface WebhookAttempt {
  attempt: number;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  httpStatus: number | null;
  /** The first 4 KiB of the response body. */
  responseBody: string | null;
  error: string | null;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  endpointUrl: string;
  invoiceId: string | null;
  sequence: number;
  redelivery: boolean;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastHttpStatus: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

export interface WebhookDeliveryDetail extends WebhookDelivery {
  /** The exact JSON body every attempt of this delivery sent. */
  requestBody: string;
  attemptLog: WebhookAttempt[];
}

export interface WebhookDeliveryPage {
  items: WebhookDelivery[];
  nextCursor: string | null;
}

export const ListDeliveriesInputSchema = z.strictObject({
  status: z.enum(WebhookDeliveryStatuses).optional(),
  eventType: z.enum(WebhookEventTypes).optional(),
  invoiceId: z.string().min(1).max(64).optional(),
  endpointId: z.string().min(1).max(64).optional(),
  limit: z.number().int().min(1).max(500).default(50),
  cursor: z.string().max(64).optional(),
});
export type ListDeliveriesInput = z.input<typeof ListDeliveriesInputSchema>;
