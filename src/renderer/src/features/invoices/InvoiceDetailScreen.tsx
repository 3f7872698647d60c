import { useEffect, useRef } from 'react';
import { routeHref } from '../../app/router.ts';
import { useConnectionStore } from '../../transport/index.ts';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { ErrorText } from '../../ui/Dialog.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { ExceptionBadge, StatusBadge } from '../../ui/StatusBadge.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { chainName, useChainsStore } from '../chains/chains-store.ts';
import { InvoiceActions } from './InvoiceActions.tsx';
import { InvoiceHistory } from './InvoiceHistory.tsx';
import { InvoiceReceipt } from './InvoiceReceipt.tsx';
import { formatPrice } from '../../../../shared/currencies.ts';
import { PaymentsTable } from './PaymentsTable.tsx';
import { StatusTimeline } from './StatusTimeline.tsx';
import { useInvoiceDetailStore } from './invoice-detail-store.ts';

export function InvoiceDetailScreen({ id }: { id: string }) {
  const { invoice, qrDataUrl, error, events, eventsError, open } = useInvoiceDetailStore();
  const chains = useChainsStore((state) => state.chains);
  const reconnects = useConnectionStore((state) => state.reconnects);

  useEffect(() => {
    void open(id);
  }, [id, open]);

  // After the event stream drops and returns, fetch again: a change may have been missed.
  const reconnectsAtMount = useRef(reconnects);
  useEffect(() => {
    if (reconnects !== reconnectsAtMount.current) void useInvoiceDetailStore.getState().refresh();
  }, [reconnects]);

  const shown = invoice?.id === id ? invoice : null;

  return (
    <section className="page" aria-labelledby="invoice-title">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a href={routeHref({ name: 'invoices' })}>← Invoice list</a>
      </nav>
      {error && <ErrorText message={error} />}
      {!shown ? (
        !error && (
          <div className="center-block">
            <Spinner label="Loading invoice" />
          </div>
        )
      ) : (
        <>
          <header className="page__header">
            <div>
              <p className="eyebrow">{shown.orderId ? 'Invoice for order' : 'Invoice'}</p>
              <h1 id="invoice-title" className="page__title">
                {shown.orderId ?? shown.id}
              </h1>
              {shown.orderId && <p className="page__subtitle mono">{shown.id}</p>}
            </div>
            <div className="badge-group" aria-label="Invoice status" role="group">
              <StatusBadge status={shown.status} />
              {shown.exceptionStatus && <ExceptionBadge exception={shown.exceptionStatus} />}
            </div>
          </header>
          <InvoiceActions invoice={shown} />
          <div className="print-action">
            <button type="button" className="button button--ghost" onClick={() => window.print()}>
              Print receipt
            </button>
          </div>
          <InvoiceReceipt invoice={shown} network={`${shown.token.symbol} on ${chainName(chains, shown.chainId)}`} />

          <div className="card invoice-pay">
            <div className="invoice-pay__qr">
              {qrDataUrl ? (
                <img src={qrDataUrl} alt={`Payment QR code for invoice ${shown.id}`} width={240} height={240} />
              ) : (
                <Spinner label="Loading QR code" />
              )}
            </div>
            <div className="invoice-pay__info">
              <p className="eyebrow">Amount due</p>
              <p className="amount-hero tabular">
                {shown.amount} <span className="amount-hero__symbol">{shown.token.symbol}</span>
              </p>
              {shown.price && (
                <p className="invoice-price" data-testid="invoice-price">
                  <strong>{formatPrice(shown.price)}</strong>
                  {shown.rate && (
                    <span className="muted small">
                      {' '}
                      at 1 {shown.token.symbol} = {shown.rate.value} {shown.price.currency} · {shown.rate.source} ·{' '}
                      {formatDateTime(shown.rate.at)}
                    </span>
                  )}
                </p>
              )}
              <p className="muted">
                on {chainName(chains, shown.chainId)}
                {shown.token.address ? ' · ERC-20' : ' · native coin'}
              </p>
              {shown.amountReceived !== '0' && (
                <p className="tabular">
                  Received: <strong>{shown.amountReceived}</strong> {shown.token.symbol}
                </p>
              )}

              <div className="copy-field">
                <span className="copy-field__label" id="deposit-address-label">
                  Deposit address
                </span>
                <div className="copy-field__row">
                  <code className="copy-field__value mono" aria-labelledby="deposit-address-label">
                    {shown.address}
                  </code>
                  <CopyButton value={shown.address} label="Copy deposit address" withText />
                </div>
              </div>
              <div className="copy-field">
                <span className="copy-field__label" id="payment-uri-label">
                  Payment link (EIP-681)
                </span>
                <div className="copy-field__row">
                  <code className="copy-field__value copy-field__value--wrap mono" aria-labelledby="payment-uri-label">
                    {shown.paymentUri}
                  </code>
                  <CopyButton value={shown.paymentUri} label="Copy payment link" withText />
                </div>
              </div>
              {shown.checkoutUrl && (
                <div className="copy-field">
                  <span className="copy-field__label" id="checkout-url-label">
                    Checkout page for the customer
                  </span>
                  <div className="copy-field__row">
                    <a
                      className="copy-field__value copy-field__value--wrap mono"
                      aria-labelledby="checkout-url-label"
                      href={shown.checkoutUrl}
                      target="_blank"
                      rel="noreferrer noopener"
                    >
                      {shown.checkoutUrl}
                    </a>
                    <CopyButton value={shown.checkoutUrl} label="Copy checkout link" withText />
                  </div>
                </div>
              )}
              <p className="muted small">
                {shown.status === 'pending' ? 'Expires' : 'Expiry'}:{' '}
                <time dateTime={shown.expiresAt}>{formatDateTime(shown.expiresAt)}</time>
              </p>
            </div>
          </div>

          <div className="card">
            <h2 className="card__title">Timeline</h2>
            <StatusTimeline invoice={shown} />
            <h3 className="subsection-title history-title">History</h3>
            <InvoiceHistory events={events} error={eventsError} />
          </div>
          <div className="card">
            <h2 className="card__title">Payments</h2>
            <PaymentsTable invoice={shown} />
          </div>
        </>
      )}
    </section>
  );
}
