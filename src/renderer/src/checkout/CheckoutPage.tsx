import { useEffect, useState } from 'react';
import type { CheckoutView } from '../../../shared/checkout.ts';
import { formatPrice } from '../../../shared/currencies.ts';
import { Countdown } from './Countdown.tsx';

const POLL_MS = 2_000;
const POLL_IDLE_MS = 10_000;

type Load = { kind: 'loading' } | { kind: 'missing' } | { kind: 'ready'; view: CheckoutView; offsetMs: number };

/** Polls the invoice's public status; no reload needed for any step, and no push channel to keep open. */
function useCheckout(invoiceId: string): Load {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      let next = POLL_MS;
      try {
        const response = await fetch(`./${encodeURIComponent(invoiceId)}/status.json`, { cache: 'no-store' });
        if (response.status === 404) {
          if (!stopped) setLoad({ kind: 'missing' });
          return;
        }
        if (response.ok) {
          const view = (await response.json()) as CheckoutView;
          if (stopped) return;
          // The countdown runs on the server's clock: a phone's may be minutes off.
          setLoad({ kind: 'ready', view, offsetMs: Date.parse(view.now) - Date.now() });
          if (view.state === 'paid' || view.state === 'invalid') return;
          if (view.state === 'expired') next = POLL_IDLE_MS;
        } else if (response.status === 429) next = POLL_IDLE_MS;
      } catch {
        // Offline for a moment (a phone between networks): try again.
      }
      if (!stopped) timer = setTimeout(() => void poll(), next);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [invoiceId]);
  return load;
}

function Copy({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="copy"
      onClick={() => {
        void navigator.clipboard?.writeText(value).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1_500);
        });
      }}
    >
      {copied ? 'Copied' : `Copy ${label}`}
    </button>
  );
}

const shortHash = (hash: string) => `${hash.slice(0, 10)}…${hash.slice(-8)}`;
const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function Receipt({ view }: { view: CheckoutView }) {
  return (
    <section className="receipt" aria-labelledby="paid-heading">
      <div className="paid-mark" aria-hidden="true">
        ✓
      </div>
      <h2 id="paid-heading">Paid</h2>
      <p className="amount">
        {view.amountReceived} {view.token.symbol}
      </p>
      <p className="network-line">{view.network}</p>
      <dl className="receipt-lines">
        {view.price && (
          <div>
            <dt>Price</dt>
            <dd data-testid="receipt-price">{formatPrice(view.price)}</dd>
          </div>
        )}
        {view.payments.map((payment) => (
          <div key={payment.txHash}>
            <dt>Transaction</dt>
            <dd>
              {payment.explorerUrl ? (
                <a href={payment.explorerUrl} target="_blank" rel="noreferrer noopener" data-testid="receipt-tx">
                  {shortHash(payment.txHash)}
                </a>
              ) : (
                <code data-testid="receipt-tx" title={payment.txHash}>
                  {shortHash(payment.txHash)}
                </code>
              )}
            </dd>
            <dt>Time</dt>
            <dd>{when(payment.at)}</dd>
          </div>
        ))}
      </dl>
      <div className="actions no-print">
        {view.redirectUrl && (
          <a className="primary" href={view.redirectUrl} rel="noreferrer">
            Return to the shop
          </a>
        )}
        <button type="button" onClick={() => window.print()}>
          Print receipt
        </button>
      </div>
    </section>
  );
}

function PayPanel({ view, offsetMs }: { view: CheckoutView; offsetMs: number }) {
  const partly = view.state === 'partly_paid';
  return (
    <section aria-labelledby="pay-heading">
      <h2 id="pay-heading" className="visually-hidden">
        Pay
      </h2>
      {view.price && !partly && (
        <p className="price-line" data-testid="price">
          {formatPrice(view.price)}
        </p>
      )}
      <p className="amount" data-testid="amount-due">
        {view.amountDue} {view.token.symbol}
      </p>
      <p className="network-line" data-testid="network">
        {view.network}
      </p>
      {partly && (
        <p className="notice" role="status" data-testid="partly-paid">
          Partly paid: {view.amountReceived} {view.token.symbol} received, <strong>{view.amountDue}</strong> {view.token.symbol}{' '}
          still due. Scan the code again for the rest.
        </p>
      )}
      <img className="qr" src={view.qrUrl} alt={`QR code: pay ${view.amountDue} ${view.network}`} width={260} height={260} />
      <a className="primary wallet-link" href={view.paymentUri}>
        Open in wallet
      </a>
      <dl className="fields">
        <div>
          <dt>Address</dt>
          <dd>
            <code data-testid="address">{view.address}</code>
            <Copy label="address" value={view.address} />
          </dd>
        </div>
        <div>
          <dt>Amount</dt>
          <dd>
            <code>
              {view.amountDue} {view.token.symbol}
            </code>
            <Copy label="amount" value={view.amountDue} />
          </dd>
        </div>
        {view.token.address && (
          <div>
            <dt>Token contract</dt>
            <dd>
              <code>{view.token.address}</code>
            </dd>
          </div>
        )}
      </dl>
      <p className="warning">
        Send {view.token.symbol} on <strong>{view.chain.name}</strong> only. A payment from another network does not arrive here.
      </p>
      <Countdown expiresAt={view.expiresAt} offsetMs={offsetMs} />
    </section>
  );
}

export function CheckoutPage({ invoiceId }: { invoiceId: string }) {
  const load = useCheckout(invoiceId);
  useEffect(() => {
    if (load.kind === 'ready') document.title = load.view.shopName ? `Pay ${load.view.shopName}` : 'Payment';
  }, [load]);
  if (load.kind === 'loading')
    return (
      <main className="checkout">
        <p className="muted">Loading…</p>
      </main>
    );
  if (load.kind === 'missing')
    return (
      <main className="checkout">
        <h1>Payment not found</h1>
        <p>There is no payment page at this address. Ask the shop for a new link.</p>
      </main>
    );
  const { view, offsetMs } = load;
  return (
    <main className="checkout" data-state={view.state}>
      <header>
        <h1>{view.shopName ?? 'Payment'}</h1>
      </header>
      {view.state === 'paid' && <Receipt view={view} />}
      {(view.state === 'awaiting_payment' || view.state === 'partly_paid') && <PayPanel view={view} offsetMs={offsetMs} />}
      {view.state === 'confirming' && (
        <section className="confirming" role="status">
          <h2>Payment received</h2>
          <p className="amount">
            {view.amountReceived} {view.token.symbol}
          </p>
          <p>
            Waiting for the network to confirm it (
            {Math.min(...view.payments.map((p) => p.confirmations), view.confirmationsRequired)} of {view.confirmationsRequired}).
            You can keep this page open.
          </p>
        </section>
      )}
      {view.state === 'expired' && (
        <section role="status">
          <h2>This payment request expired</h2>
          <p>
            Do not send anything to it now. If you already paid ({view.amountReceived} {view.token.symbol} arrived), contact the
            shop with this page’s address.
          </p>
        </section>
      )}
      {view.state === 'invalid' && (
        <section role="status">
          <h2>This payment request is no longer valid</h2>
          <p>Do not send anything to it. Contact the shop.</p>
        </section>
      )}
    </main>
  );
}
