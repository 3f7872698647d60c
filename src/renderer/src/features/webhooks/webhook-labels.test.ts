import { describe, expect, it } from 'vitest';
import { InvoiceEventTypes, WebhookDeliveryStatuses, WebhookEventTypes } from '../../../../shared/webhooks.ts';
import { deliveryStatuses, invoiceEventTypes, webhookEventTypes } from './webhook-labels.ts';

describe("the renderer's copies of the webhook vocabulary", () => {
  it('lists the event types and delivery statuses the engine knows, in its order', () => {
    expect(invoiceEventTypes).toEqual([...InvoiceEventTypes]);
    expect(webhookEventTypes).toEqual([...WebhookEventTypes]);
    expect(deliveryStatuses).toEqual([...WebhookDeliveryStatuses]);
  });
});
