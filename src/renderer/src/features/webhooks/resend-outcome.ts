import type { WebhookDeliveryDetail } from '../../../../shared/webhooks.ts';
import { formatMs, formatOutcome, formatTimeSeconds } from './webhook-format.ts';

export interface ResendOutcome {
  ok: boolean;
  text: string;
  /** The new delivery the resend created. */
  deliveryId: string;
}

/** What a resend (webhooks.redeliver, attempted at once) came to, in a sentence. */
export function describeResend(delivery: WebhookDeliveryDetail): ResendOutcome {
  const attempt = delivery.attemptLog[delivery.attemptLog.length - 1];
  const outcome = attempt ? formatOutcome(attempt.httpStatus, attempt.error) : null;
  const took = attempt?.durationMs != null ? ` in ${formatMs(attempt.durationMs)}` : '';
  const base = `Resent ${delivery.eventType}`;
  if (delivery.status === 'succeeded')
    return { ok: true, text: `${base}: succeeded, ${outcome}${took}.`, deliveryId: delivery.id };
  if (delivery.status === 'pending' || delivery.status === 'sending')
    return { ok: true, text: `${base}: queued; Till is sending it now.`, deliveryId: delivery.id };
  const retry = delivery.nextAttemptAt ? ` Till tries again at ${formatTimeSeconds(delivery.nextAttemptAt)}.` : '';
  return {
    ok: false,
    text: `${base}: ${delivery.status === 'dead' ? 'given up' : 'failed'}${outcome ? `, ${outcome}` : ''}${took}.${retry}`,
    deliveryId: delivery.id,
  };
}
