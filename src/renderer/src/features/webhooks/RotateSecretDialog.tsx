import { useState, type FormEvent } from 'react';
import type { WebhookEndpoint } from '../../../../shared/webhooks.ts';
import { call, errorMessage } from '../../transport/index.ts';
import { Dialog, ErrorText } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { fieldErrors } from './webhook-format.ts';
import { useWebhooksStore } from './webhooks-store.ts';

export interface RotatedSecret {
  endpoint: WebhookEndpoint;
  secret: string;
  /** Until when the previous secret keeps signing; null when it stopped at once. */
  overlapUntil: string | null;
}

interface RotateSecretDialogProps {
  endpoint: WebhookEndpoint;
  onCancel(): void;
  onRotated(rotated: RotatedSecret): void;
}

const FORM_ID = 'rotate-webhook-secret';

/** Confirms a rotation and how long the old secret keeps signing beside the new one. */
export function RotateSecretDialog({ endpoint, onCancel, onRotated }: RotateSecretDialogProps) {
  const [hours, setHours] = useState('24');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const overlapHours = Number(hours);
    if (hours.trim() === '' || !Number.isInteger(overlapHours) || overlapHours < 0 || overlapHours > 720) {
      setFieldError('A whole number of hours from 0 to 720 (30 days).');
      return;
    }
    setFieldError(null);
    setError(null);
    setBusy(true);
    try {
      const { endpoint: rotated, secret } = await call('webhooks.rotateSecret', { id: endpoint.id, overlapHours });
      useWebhooksStore.getState().putEndpoint(rotated);
      // The engine lists active secrets newest first; the older ones carry their end of overlap.
      const ends = rotated.secrets
        .slice(1)
        .map((old) => old.expiresAt)
        .filter((at): at is string => at !== null);
      onRotated({ endpoint: rotated, secret, overlapUntil: ends.sort().at(-1) ?? null });
    } catch (caught) {
      const byField = fieldErrors(caught);
      if (byField?.overlapHours) setFieldError(byField.overlapHours);
      else setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Rotate the signing secret?"
      onClose={onCancel}
      alert
      actions={
        <>
          <button type="button" className="button" onClick={onCancel} autoFocus>
            Cancel
          </button>
          <button type="submit" form={FORM_ID} className="button button--primary" disabled={busy}>
            {busy ? 'Rotating…' : 'Rotate secret'}
          </button>
        </>
      }
    >
      <form id={FORM_ID} className="form" onSubmit={onSubmit} noValidate>
        <p>
          Till issues a new secret for <span className="mono webhook-url">{endpoint.url}</span> and shows it once. During the
          overlap every request carries a signature with each secret, so your shop keeps verifying while you switch it over.
        </p>
        <Field label="Old secret keeps signing for (hours)" hint="0 stops the old secret at once." error={fieldError}>
          <input
            className="input tabular"
            type="number"
            min={0}
            max={720}
            value={hours}
            onChange={(e) => setHours(e.target.value)}
          />
        </Field>
        {error && <ErrorText message={error} />}
      </form>
    </Dialog>
  );
}
