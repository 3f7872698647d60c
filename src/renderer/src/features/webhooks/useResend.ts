import { useState } from 'react';
import type { WebhookDeliveryDetail } from '../../../../shared/webhooks.ts';
import { call, errorMessage } from '../../transport/index.ts';
import { describeResend, type ResendOutcome } from './resend-outcome.ts';

export type ResendResult = ResendOutcome | { ok: false; text: string };

/**
 * The Resend button's flow, wherever it sits (delivery log, delivery dialog, invoice page): one
 * resend at a time per component, its outcome in a sentence; `after` runs once it ended, with the
 * new delivery when there is one.
 */
export function useResend(after: (fresh: WebhookDeliveryDetail | null) => void) {
  const [resending, setResending] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<ResendResult | null>(null);
  const resend = async (deliveryId: string) => {
    setResending(deliveryId);
    setOutcome(null);
    let fresh: WebhookDeliveryDetail | null = null;
    try {
      fresh = await call('webhooks.redeliver', { deliveryId });
      setOutcome(describeResend(fresh));
    } catch (caught) {
      setOutcome({ ok: false, text: errorMessage(caught) });
    } finally {
      setResending(null);
      after(fresh);
    }
  };
  return { resending, outcome, resend, clearOutcome: () => setOutcome(null) };
}
