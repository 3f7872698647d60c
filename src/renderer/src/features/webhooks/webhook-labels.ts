import type { InvoiceEventType, WebhookDeliveryStatus, WebhookEventType } from '../../../../shared/webhooks.ts';
import type { Tone } from '../../ui/Badge.tsx';

/*
 * Plain copies of the webhook vocabulary in src/shared/webhooks.ts, so the renderer bundle needs
 * no zod; webhook-labels.test.ts keeps them equal to the engine's lists.
 */

/** What each event means to a shop; the type names themselves are shown as sent (shops code against them). */
export const invoiceEventHelp: Record<InvoiceEventType, string> = {
  'invoice.created': 'An invoice was created',
  'invoice.payment_received': 'A payment arrived; it may not cover the amount yet',
  'invoice.detected': 'Paid in full, not yet confirmed',
  'invoice.confirmed': 'Paid and confirmed: fulfil the order',
  'invoice.settled': 'Its funds reached the treasury (the sweep is final)',
  'invoice.expired': 'Expired without full payment',
  'invoice.paid_late': 'Paid after it expired',
  'invoice.reverted': 'A reorg removed a counted payment',
  'invoice.invalid': 'Marked invalid',
  'invoice.marked_paid': 'Marked paid by hand',
};
export const invoiceEventTypes = Object.keys(invoiceEventHelp) as InvoiceEventType[];
export const webhookEventTypes: WebhookEventType[] = [...invoiceEventTypes, 'ping'];

export const deliveryStatusLabels: Record<WebhookDeliveryStatus, string> = {
  pending: 'Pending',
  sending: 'Sending',
  failed: 'Failed',
  succeeded: 'Succeeded',
  dead: 'Dead',
  superseded: 'Superseded',
};
export const deliveryStatuses = Object.keys(deliveryStatusLabels) as WebhookDeliveryStatus[];

/** Failed still retries (amber); dead gave up (red); superseded was replaced by a resend (grey). */
export const deliveryStatusTones: Record<WebhookDeliveryStatus, Tone> = {
  pending: 'active',
  sending: 'active',
  failed: 'warn',
  succeeded: 'ok',
  dead: 'bad',
  superseded: 'neutral',
};

export const deliveryStatusHelp: Record<WebhookDeliveryStatus, string> = {
  pending: 'Waiting to be sent',
  sending: 'Being sent now',
  failed: 'Not accepted yet; Till tries again',
  succeeded: 'The endpoint answered 2xx',
  dead: 'Till gave up after 3 days of retries',
  superseded: 'Replaced by a resend',
};
