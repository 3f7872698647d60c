import { useState, type FormEvent } from 'react';
import { call, errorMessage } from '../../transport/index.ts';
import { Dialog, ErrorText } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { EndpointSelect } from './EndpointSelect.tsx';
import { fieldErrors } from './webhook-format.ts';
import { useWebhooksStore } from './webhooks-store.ts';

/** "2026-11-30T09:05" in local time, for a datetime-local input. */
function localInputValue(ms: number): string {
  const date = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 16);
}

const FORM_ID = 'resend-failed-form';

/** Bulk redelivery: every failed or dead delivery since a time, to one endpoint or all. */
export function ResendFailedDialog({ onClose }: { onClose(): void }) {
  const [since, setSince] = useState(() => localInputValue(Date.now() - 24 * 3_600_000));
  const [endpointId, setEndpointId] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [queued, setQueued] = useState<number | null>(null);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const at = new Date(since);
    if (!since || Number.isNaN(at.getTime())) {
      setFieldError('Choose a date and time.');
      return;
    }
    setFieldError(null);
    setError(null);
    setBusy(true);
    try {
      const result = await call('webhooks.redeliverFailed', { since: at.toISOString(), endpointId: endpointId || undefined });
      setQueued(result.queued);
      useWebhooksStore.getState().refresh();
    } catch (caught) {
      const byField = fieldErrors(caught);
      if (byField?.since) setFieldError(byField.since);
      else setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Resend failed deliveries"
      onClose={onClose}
      alert
      actions={
        queued !== null ? (
          <button type="button" className="button button--primary" onClick={onClose} autoFocus>
            Done
          </button>
        ) : (
          <>
            <button type="button" className="button" onClick={onClose} autoFocus>
              Cancel
            </button>
            <button type="submit" form={FORM_ID} className="button button--primary" disabled={busy} aria-busy={busy}>
              Resend failed deliveries
            </button>
          </>
        )
      }
    >
      <form id={FORM_ID} className="form" onSubmit={onSubmit} noValidate>
        <p>
          Till sends again every event whose delivery failed or was given up since this time, unless it has reached the endpoint
          since. Your shop may see an event twice; it dedupes by event ID.
        </p>
        <div className="form__row">
          <Field label="Failed since" hint="Your local time." error={fieldError}>
            <input
              className="input tabular"
              type="datetime-local"
              value={since}
              onChange={(event) => setSince(event.target.value)}
              disabled={queued !== null}
            />
          </Field>
          <Field label="Endpoint">
            <EndpointSelect value={endpointId} onChange={setEndpointId} disabled={queued !== null} />
          </Field>
        </div>
        <div role="status">
          {queued !== null && (
            <p className="text-ok">
              {queued === 0
                ? 'Nothing to resend: no delivery failed since then, or each has been delivered since.'
                : `Queued ${queued.toLocaleString()} ${queued === 1 ? 'delivery' : 'deliveries'}; Till sends them now.`}
            </p>
          )}
        </div>
        {error && <ErrorText message={error} />}
      </form>
    </Dialog>
  );
}
