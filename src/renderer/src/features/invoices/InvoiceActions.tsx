import { useState, type FormEvent } from 'react';
import type { Invoice } from '../../../../shared/domain.ts';
import { call, errorMessage } from '../../transport/index.ts';
import { Dialog, ErrorText } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { useInvoiceDetailStore } from './invoice-detail-store.ts';

type Mark = 'paid' | 'invalid';

/** The engine's own rules (invoice-state.ts), so buttons that would only be refused are not offered. */
const canMarkPaid = (invoice: Invoice) => ['pending', 'detected', 'expired'].includes(invoice.status);
const canMarkInvalid = (invoice: Invoice) => invoice.status !== 'settled' && invoice.status !== 'invalid';

export function InvoiceActions({ invoice }: { invoice: Invoice }) {
  const [rechecking, setRechecking] = useState(false);
  const [result, setResult] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [marking, setMarking] = useState<Mark | null>(null);

  const recheck = async () => {
    setRechecking(true);
    setResult(null);
    try {
      const { invoice: updated, paymentsFound } = await call('invoices.recheck', { id: invoice.id });
      useInvoiceDetailStore.getState().applyChange(updated);
      setResult({
        tone: 'ok',
        text: `Found ${paymentsFound} new ${paymentsFound === 1 ? 'payment' : 'payments'}.`,
      });
    } catch (caught) {
      setResult({ tone: 'error', text: errorMessage(caught) });
    } finally {
      setRechecking(false);
    }
  };

  return (
    <div className="invoice-actions">
      <div className="invoice-actions__buttons" role="group" aria-label="Invoice actions">
        <button type="button" className="button button--small" onClick={recheck} disabled={rechecking}>
          {rechecking ? 'Rechecking…' : 'Recheck payments'}
        </button>
        {canMarkPaid(invoice) && (
          <button type="button" className="button button--small" onClick={() => setMarking('paid')}>
            Mark paid…
          </button>
        )}
        {canMarkInvalid(invoice) && (
          <button type="button" className="button button--small button--danger-text" onClick={() => setMarking('invalid')}>
            Mark invalid…
          </button>
        )}
      </div>
      <div className="invoice-actions__result" role="status">
        {result?.tone === 'ok' && <span className="muted small">{result.text}</span>}
      </div>
      {result?.tone === 'error' && <ErrorText message={result.text} />}
      {marking && <MarkDialog invoice={invoice} mark={marking} onClose={() => setMarking(null)} />}
    </div>
  );
}

const MIN_REASON = 3;

function MarkDialog({ invoice, mark, onClose }: { invoice: Invoice; mark: Mark; onClose(): void }) {
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formId = `mark-${mark}`;
  const label = mark === 'paid' ? 'Mark paid' : 'Mark invalid';

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim().length < MIN_REASON) {
      setFieldError('Give a reason of a few words; it goes into the operator log.');
      return;
    }
    setFieldError(null);
    setError(null);
    setBusy(true);
    try {
      const method = mark === 'paid' ? 'invoices.markPaid' : 'invoices.markInvalid';
      useInvoiceDetailStore.getState().applyChange(await call(method, { id: invoice.id, reason: reason.trim() }));
      onClose();
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={mark === 'paid' ? 'Mark this invoice paid?' : 'Mark this invoice invalid?'}
      onClose={onClose}
      alert={mark === 'invalid'}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form={formId}
            className={`button ${mark === 'paid' ? 'button--primary' : 'button--danger'}`}
            disabled={busy}
          >
            {label}
          </button>
        </>
      }
    >
      <form id={formId} className="form" onSubmit={onSubmit} noValidate>
        <p>
          {mark === 'paid'
            ? 'Use this when the customer paid in a way Till cannot see, e.g. a wrong token you accepted or a payment by other means. The invoice becomes confirmed, and webhooks tell your shop.'
            : 'Use this when the order is void: the invoice stops waiting for a payment, and webhooks tell your shop. This cannot be undone.'}
        </p>
        <Field label="Reason" hint="Kept in the operator log with your action." error={fieldError}>
          <textarea
            className="input textarea"
            rows={3}
            maxLength={500}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            autoFocus
          />
        </Field>
        {error && <ErrorText message={error} />}
      </form>
    </Dialog>
  );
}
