import { useEffect, useState } from 'react';
import type { WebhookEndpoint } from '../../../../shared/webhooks.ts';
import { call, errorMessage, useConnectionStore } from '../../transport/index.ts';
import { ConfirmDialog, ErrorText } from '../../ui/Dialog.tsx';
import { EmptyState, Spinner } from '../../ui/Spinner.tsx';
import { useNow } from '../../ui/useNow.ts';
import { DeliveryDetailDialog } from './DeliveryDetailDialog.tsx';
import { DeliveryLog } from './DeliveryLog.tsx';
import { EndpointCard, type EndpointAction } from './EndpointCard.tsx';
import { EndpointFormDialog } from './EndpointFormDialog.tsx';
import { ResendFailedDialog } from './ResendFailedDialog.tsx';
import { RotateSecretDialog } from './RotateSecretDialog.tsx';
import { SecretOnceDialog } from './SecretOnceDialog.tsx';
import { useWebhooksStore } from './webhooks-store.ts';

type OpenDialog =
  | { kind: 'add' }
  | { kind: EndpointAction; endpoint: WebhookEndpoint }
  | { kind: 'secret'; title: string; url: string; secret: string; overlapUntil?: string | null }
  | { kind: 'resend-failed' };

function summary(endpoints: WebhookEndpoint[]): string {
  if (endpoints.length === 0) return 'Till tells your shop about every invoice change with a signed POST.';
  const waiting = endpoints.reduce((sum, endpoint) => sum + endpoint.health.undelivered, 0);
  const dead = endpoints.reduce((sum, endpoint) => sum + endpoint.health.dead, 0);
  const parts = [
    `${endpoints.length} ${endpoints.length === 1 ? 'endpoint' : 'endpoints'}`,
    `${waiting.toLocaleString()} waiting`,
  ];
  if (dead > 0) parts.push(`${dead.toLocaleString()} dead`);
  return parts.join(' · ');
}

/** Where a merchant sees whether the shop hears about payments, and fixes it when it does not. */
export function WebhooksScreen({ invoiceId }: { invoiceId?: string }) {
  const { endpoints, endpointsLoaded, endpointsError, loadEndpoints, loadDeliveries, setActive, setFilters } = useWebhooksStore();
  const reconnects = useConnectionStore((state) => state.reconnects);
  const now = useNow();
  const [dialog, setDialog] = useState<OpenDialog | null>(null);

  useEffect(() => {
    setActive(true);
    return () => {
      setActive(false);
      useWebhooksStore.getState().openDelivery(null);
    };
  }, [setActive]);
  // #/webhooks/invoice/<id> opens the log of that invoice.
  useEffect(() => {
    if (invoiceId !== undefined) setFilters({ invoiceId });
  }, [invoiceId, setFilters]);
  // Fresh on entry and after the event stream returns; `webhooks.changed` keeps it live in between.
  useEffect(() => {
    void loadEndpoints();
    void loadDeliveries();
  }, [loadEndpoints, loadDeliveries, reconnects]);

  const close = () => setDialog(null);
  const addButton = (
    <button type="button" className="button button--primary" onClick={() => setDialog({ kind: 'add' })}>
      Add endpoint
    </button>
  );

  return (
    <section className="page" aria-labelledby="webhooks-title">
      <header className="page__header">
        <div>
          <h1 id="webhooks-title" className="page__title">
            Webhooks
          </h1>
          <p className="page__subtitle tabular">{endpointsLoaded ? summary(endpoints) : ' '}</p>
        </div>
        {endpoints.length > 0 && addButton}
      </header>

      <section className="webhooks-section" aria-labelledby="endpoints-title">
        <h2 id="endpoints-title" className="section-title">
          Endpoints
        </h2>
        {endpointsError && <ErrorText message={endpointsError} />}
        {!endpointsLoaded ? (
          <div className="center-block">
            <Spinner label="Loading webhook endpoints" />
          </div>
        ) : endpoints.length === 0 ? (
          <EmptyState title="No webhook endpoints yet — add your shop's URL">
            <p>Till then POSTs a signed JSON event to it whenever an invoice is created, paid, confirmed or expires.</p>
            <p className="empty-state__action">{addButton}</p>
          </EmptyState>
        ) : (
          <div className="stack">
            {endpoints.map((endpoint) => (
              <EndpointCard key={endpoint.id} endpoint={endpoint} now={now} onAction={(kind) => setDialog({ kind, endpoint })} />
            ))}
          </div>
        )}
      </section>

      <DeliveryLog onResendFailed={() => setDialog({ kind: 'resend-failed' })} />
      <DeliveryDetailDialog />

      {dialog?.kind === 'add' && (
        <EndpointFormDialog
          onClose={close}
          onCreated={({ endpoint, secret }) =>
            setDialog({ kind: 'secret', title: 'Endpoint added: copy its signing secret', url: endpoint.url, secret })
          }
        />
      )}
      {dialog?.kind === 'edit' && <EndpointFormDialog endpoint={dialog.endpoint} onClose={close} />}
      {dialog?.kind === 'rotate' && (
        <RotateSecretDialog
          endpoint={dialog.endpoint}
          onCancel={close}
          onRotated={({ endpoint, secret, overlapUntil }) =>
            setDialog({ kind: 'secret', title: 'New signing secret', url: endpoint.url, secret, overlapUntil })
          }
        />
      )}
      {dialog?.kind === 'delete' && <DeleteEndpointDialog endpoint={dialog.endpoint} onClose={close} />}
      {dialog?.kind === 'secret' && (
        <SecretOnceDialog
          title={dialog.title}
          url={dialog.url}
          secret={dialog.secret}
          overlapUntil={dialog.overlapUntil}
          onClose={close}
        />
      )}
      {dialog?.kind === 'resend-failed' && <ResendFailedDialog onClose={close} />}
    </section>
  );
}

function DeleteEndpointDialog({ endpoint, onClose }: { endpoint: WebhookEndpoint; onClose(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    setBusy(true);
    try {
      await call('webhooks.remove', { id: endpoint.id });
      useWebhooksStore.getState().dropEndpoint(endpoint.id);
      onClose();
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };
  return (
    <ConfirmDialog
      title="Delete this endpoint?"
      message={
        <p>
          Till stops sending to <span className="mono webhook-url">{endpoint.url}</span> and deletes its secrets and its delivery
          log. Events not yet delivered to it are dropped. To pause it instead, switch it off.
        </p>
      }
      confirmLabel="Delete endpoint"
      busy={busy}
      error={error}
      onConfirm={remove}
      onCancel={onClose}
    />
  );
}
