import { useEffect, useState } from 'react';
import type { DisplayState } from '../../../shared/display.ts';
import { formatPrice } from '../../../shared/currencies.ts';
import { Countdown } from '../checkout/Countdown.tsx';
import { chooseDisplaySource } from './display-source.ts';

const POLL_MS = 1_000;

type Load = { kind: 'loading' } | { kind: 'unpaired' } | { kind: 'ready'; state: DisplayState; offsetMs: number };

/** Polls what the counter put on display; a paid invoice turns to "Paid" within a second of Till seeing it. */
function useDisplayState(): Load {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  useEffect(() => {
    const source = chooseDisplaySource(window.till, (url, init) => fetch(url, init));
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const read = await source.read();
        if (stopped) return;
        // The desktop's display window has no pairing: it never says "not paired".
        if (read.kind === 'unpaired' && source.host === 'browser') setLoad({ kind: 'unpaired' });
        else if (read.kind === 'state') {
          const { state } = read;
          const offsetMs = state.invoice ? Date.parse(state.invoice.now) - Date.now() : 0;
          setLoad({ kind: 'ready', state, offsetMs });
        }
      } catch {
        // The counter's computer restarting, or Wi-Fi: keep the last picture and try again.
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  return load;
}

export function DisplayPage() {
  const load = useDisplayState();
  if (load.kind === 'loading') return <main className="display" />;
  if (load.kind === 'unpaired')
    return (
      <main className="display display--idle">
        <p className="display__hint">
          This screen is not paired yet. On the merchant’s screen open <strong>Charge → Pair a customer display</strong>, then
          open its link here.
        </p>
      </main>
    );
  const { state, offsetMs } = load;
  const invoice = state.invoice;
  if (!invoice || invoice.state === 'invalid')
    return (
      <main className="display display--idle" data-testid="display-idle">
        <h1 className="display__shop-big">{state.shopName ?? 'Welcome'}</h1>
      </main>
    );
  return (
    <main className="display" data-state={invoice.state}>
      <p className="display__shop">{state.shopName}</p>
      {invoice.state === 'paid' ? (
        <section className="display__paid" role="status" aria-live="assertive">
          <div className="display__check" aria-hidden="true">
            ✓
          </div>
          <h1>Paid</h1>
          <p className="display__amount">
            {invoice.price && `${formatPrice(invoice.price)} · `}
            {invoice.amountReceived} {invoice.token.symbol}
          </p>
          <p className="display__network">{invoice.network}</p>
          <p>Thank you!</p>
        </section>
      ) : invoice.state === 'confirming' ? (
        <section className="display__confirming" role="status">
          <h1>Payment received</h1>
          <p className="display__amount">
            {invoice.amountReceived} {invoice.token.symbol}
          </p>
          <p>Confirming on {invoice.chain.name}…</p>
        </section>
      ) : invoice.state === 'expired' ? (
        <section role="status">
          <h1>Expired</h1>
          <p>Please ask for a new payment code.</p>
        </section>
      ) : (
        <section className="display__pay">
          <p className="display__amount" data-testid="display-amount">
            {invoice.price && invoice.state === 'awaiting_payment' && (
              <span className="display__price">{formatPrice(invoice.price)} · </span>
            )}
            {invoice.amountDue} {invoice.token.symbol}
          </p>
          <p className="display__network" data-testid="display-network">
            {invoice.network}
          </p>
          {invoice.state === 'partly_paid' && (
            <p className="display__partly" role="status" data-testid="display-partly">
              Partly paid: {invoice.amountDue} {invoice.token.symbol} still due
            </p>
          )}
          <img
            className="display__qr"
            src={invoice.qrUrl}
            alt={`QR code: pay ${invoice.amountDue} ${invoice.network}`}
            width={420}
            height={420}
          />
          <p className="display__warning">Send on {invoice.chain.name} only.</p>
          <Countdown expiresAt={invoice.expiresAt} offsetMs={offsetMs} />
        </section>
      )}
    </main>
  );
}
