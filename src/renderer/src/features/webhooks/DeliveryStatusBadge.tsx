import type { WebhookDeliveryStatus } from '../../../../shared/webhooks.ts';
import { ToneBadge } from '../../ui/Badge.tsx';
import { deliveryStatusHelp, deliveryStatusLabels, deliveryStatusTones } from './webhook-labels.ts';

/** A delivery's state in the design system's tones, the same on the Webhooks screen and the invoice page. */
export function DeliveryStatusBadge({ status }: { status: WebhookDeliveryStatus }) {
  return (
    <span title={deliveryStatusHelp[status]}>
      <ToneBadge tone={deliveryStatusTones[status]}>{deliveryStatusLabels[status]}</ToneBadge>
    </span>
  );
}
