import { useWebhooksStore } from './webhooks-store.ts';

/** How a send the operator asked for (a resend, a ping) ended, in a sentence, with a link to the attempt when there is one. */
export function AttemptOutcome({ outcome }: { outcome: { ok: boolean; text: string; deliveryId?: string } }) {
  const { deliveryId } = outcome;
  return (
    <p className={`small ${outcome.ok ? 'text-ok' : 'text-bad'}`}>
      {outcome.text}{' '}
      {deliveryId !== undefined && (
        <button type="button" className="link-button" onClick={() => useWebhooksStore.getState().openDelivery(deliveryId)}>
          Show the attempt
        </button>
      )}
    </p>
  );
}
