import { useState, type FormEvent } from 'react';
import type { InvoiceEventType, WebhookEndpoint } from '../../../../shared/webhooks.ts';
import { call, errorMessage } from '../../transport/index.ts';
import { Dialog, ErrorText } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { fieldErrors } from './webhook-format.ts';
import { invoiceEventHelp, invoiceEventTypes } from './webhook-labels.ts';
import { useWebhooksStore } from './webhooks-store.ts';

interface EndpointFormDialogProps {
  /** The endpoint to edit; none to add one. */
  endpoint?: WebhookEndpoint;
  onClose(): void;
  /** After adding: the new endpoint and its secret, to show once. */
  onCreated?(created: { endpoint: WebhookEndpoint; secret: string }): void;
}

type Errors = Partial<Record<'url' | 'description' | 'events' | 'maxConcurrency', string>>;

const FORM_ID = 'webhook-endpoint-form';

export function EndpointFormDialog({ endpoint, onClose, onCreated }: EndpointFormDialogProps) {
  const [url, setUrl] = useState(endpoint?.url ?? '');
  const [description, setDescription] = useState(endpoint?.description ?? '');
  const [allEvents, setAllEvents] = useState(!endpoint || endpoint.events.includes('*'));
  const [chosen, setChosen] = useState<string[]>(
    endpoint && !endpoint.events.includes('*') ? endpoint.events : ['invoice.confirmed', 'invoice.expired'],
  );
  const [concurrency, setConcurrency] = useState(String(endpoint?.maxConcurrency ?? 4));
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = (type: InvoiceEventType, on: boolean) =>
    setChosen((current) => (on ? [...current, type] : current.filter((existing) => existing !== type)));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const maxConcurrency = Number(concurrency);
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1 || maxConcurrency > 64) {
      setErrors({ maxConcurrency: 'A whole number from 1 to 64.' });
      return;
    }
    setErrors({});
    setError(null);
    setBusy(true);
    // Till validates; its messages come back per field and are shown there.
    const events: ('*' | InvoiceEventType)[] = allEvents ? ['*'] : invoiceEventTypes.filter((type) => chosen.includes(type));
    const fields = { url, description, events, maxConcurrency };
    try {
      if (endpoint) {
        useWebhooksStore.getState().putEndpoint(await call('webhooks.update', { id: endpoint.id, ...fields }));
        onClose();
      } else {
        const created = await call('webhooks.create', fields);
        useWebhooksStore.getState().putEndpoint(created.endpoint);
        onCreated?.(created);
      }
    } catch (caught) {
      const byField = fieldErrors(caught);
      if (byField) setErrors(byField);
      else setError(errorMessage(caught));
      setBusy(false);
    }
  };

  const submitLabel = endpoint ? 'Save endpoint' : 'Add endpoint';
  return (
    <Dialog
      title={endpoint ? 'Edit webhook endpoint' : 'Add a webhook endpoint'}
      onClose={onClose}
      wide
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={FORM_ID} className="button button--primary" disabled={busy}>
            {busy ? 'Saving…' : submitLabel}
          </button>
        </>
      }
    >
      <form id={FORM_ID} className="form" onSubmit={onSubmit} noValidate aria-label={submitLabel}>
        {endpoint?.source === 'config' && (
          <div className="callout" role="note">
            <p className="callout__body">
              This endpoint comes from the config file: at the next start the file&rsquo;s events and description apply again.
            </p>
          </div>
        )}
        <Field label="Endpoint URL" hint="Your shop's address that receives the POSTs, http:// or https://." error={errors.url}>
          <input
            className="input"
            type="url"
            inputMode="url"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            placeholder="https://shop.example/till-webhook"
            autoComplete="off"
            spellCheck={false}
            autoFocus
          />
        </Field>
        <div className="form__row">
          <Field label="Description" hint="Optional, for you: which shop or system this is." error={errors.description}>
            <input
              className="input"
              value={description}
              onChange={(event) => setDescription(event.target.value)}
              maxLength={200}
            />
          </Field>
          <Field label="Deliveries at once" hint="To this endpoint, across invoices (1–64)." error={errors.maxConcurrency}>
            <input
              className="input tabular"
              type="number"
              min={1}
              max={64}
              value={concurrency}
              onChange={(event) => setConcurrency(event.target.value)}
            />
          </Field>
        </div>
        <fieldset className="checkbox-group" aria-describedby={errors.events ? 'webhook-events-error' : undefined}>
          <legend className="field__label">Events</legend>
          <label className="checkbox">
            <input type="radio" name="webhook-events" checked={allEvents} onChange={() => setAllEvents(true)} />
            <span>
              All events <span className="checkbox__help">Including event types Till adds later.</span>
            </span>
          </label>
          <label className="checkbox">
            <input type="radio" name="webhook-events" checked={!allEvents} onChange={() => setAllEvents(false)} />
            <span>Only the events chosen below</span>
          </label>
          {!allEvents && (
            <div className="event-choices">
              {invoiceEventTypes.map((type) => (
                <label key={type} className="checkbox">
                  <input
                    type="checkbox"
                    checked={chosen.includes(type)}
                    onChange={(event) => toggle(type, event.target.checked)}
                  />
                  <span>
                    <span className="mono">{type}</span>
                    <span className="checkbox__help">{invoiceEventHelp[type]}</span>
                  </span>
                </label>
              ))}
            </div>
          )}
          {errors.events && (
            <p className="field__error" id="webhook-events-error" role="alert">
              {errors.events}
            </p>
          )}
        </fieldset>
        {error && <ErrorText message={error} />}
      </form>
    </Dialog>
  );
}
