import { useCallback, useEffect, useMemo, useState } from 'react';
import { CURRENCY_DIGITS, formatPrice, SHOP_CURRENCIES, type ShopCurrency } from '../../../../shared/currencies.ts';
import type { DisplayPairing, DisplayWindowScreen } from '../../../../shared/display.ts';
import type { Invoice } from '../../../../shared/domain.ts';
import { call, errorMessage, subscribe } from '../../transport/index.ts';
import { ErrorText } from '../../ui/Dialog.tsx';
import { StatusBadge } from '../../ui/StatusBadge.tsx';
import { useChainsStore } from '../chains/chains-store.ts';
import { isChargeable, keyFromKeyboard, pressKey, type KeypadKey } from './keypad.ts';

const NATIVE = 'native';
const LAST_CHOICE = 'till.charge.last';
const MODE = 'till.charge.mode';
/** Type the price in the shop's currency (converted at the locked rate), or the token amount itself. */
type Mode = 'price' | 'token';
const rememberedMode = (): Mode => (localStorage.getItem(MODE) === 'token' ? 'token' : 'price');

interface Choice {
  chainId: number;
  token: string;
}

function rememberedChoice(): Choice | null {
  try {
    const saved = JSON.parse(localStorage.getItem(LAST_CHOICE) ?? 'null') as Choice | null;
    return saved && typeof saved.chainId === 'number' && typeof saved.token === 'string' ? saved : null;
  } catch {
    return null;
  }
}

const KEYS: KeypadKey[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '.', '0', 'backspace'];
const keyLabel = (key: KeypadKey) => (key === 'backspace' ? '⌫' : key);

/**
 * The counter: type the amount (keypad or keyboard), Enter, and the customer display shows the
 * QR code. The chain and token stay as last time, so a sale is the amount and one key.
 */
export function ChargeScreen() {
  const allChains = useChainsStore((state) => state.chains);
  const chains = useMemo(() => allChains.filter((chain) => chain.enabled), [allChains]);
  const [choice, setChoice] = useState<Choice | null>(() => rememberedChoice());
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [invoice, setInvoice] = useState<Invoice | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [mode, setMode] = useState<Mode>(() => rememberedMode());
  const [currency, setCurrency] = useState<ShopCurrency | null>(null);

  useEffect(() => {
    call('shop.get', {})
      .then((shop) => setCurrency(shop.currency))
      .catch(() => setCurrency('USD'));
  }, []);

  // The remembered chain and token, if they still exist; otherwise the first chain's coin.
  const chain = chains.find((candidate) => candidate.chainId === choice?.chainId) ?? chains[0];
  const token =
    chain &&
    choice?.chainId === chain.chainId &&
    (choice.token === NATIVE || chain.tokens.some((t) => t.address === choice.token))
      ? choice.token
      : NATIVE;
  const tokenDecimals =
    token === NATIVE ? (chain?.nativeDecimals ?? 18) : (chain?.tokens.find((t) => t.address === token)?.decimals ?? 0);
  const tokenSymbol =
    token === NATIVE ? (chain?.nativeSymbol ?? '') : (chain?.tokens.find((t) => t.address === token)?.symbol ?? '');
  const byPrice = mode === 'price' && currency !== null;
  const decimals = byPrice ? CURRENCY_DIGITS[currency] : tokenDecimals;
  const symbol = byPrice ? currency : tokenSymbol;

  const chooseMode = (next: Mode) => {
    setMode(next);
    setAmount('');
    localStorage.setItem(MODE, next);
  };
  const chooseCurrency = async (next: ShopCurrency) => {
    setError(null);
    try {
      setCurrency((await call('shop.setCurrency', { currency: next })).currency);
      setAmount('');
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  const choose = (next: Choice) => {
    setChoice(next);
    localStorage.setItem(LAST_CHOICE, JSON.stringify(next));
  };

  const charge = useCallback(async () => {
    if (!chain || !isChargeable(amount) || busy) return;
    setBusy(true);
    setError(null);
    try {
      const created = await call('invoices.create', {
        chainId: chain.chainId,
        token,
        ...(byPrice ? { price: { amount, currency } } : { amount }),
        ...(note.trim() ? { orderId: note.trim() } : {}),
      });
      await call('display.show', { invoiceId: created.id });
      setInvoice(created);
      setQr((await call('invoices.qrSvg', { id: created.id })).svg);
      setAmount('');
      setNote('');
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }, [amount, busy, byPrice, chain, currency, note, token]);

  // The keyboard drives the keypad, except while typing the note.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) {
        if (event.key === 'Enter' && event.target instanceof HTMLInputElement) void charge();
        return;
      }
      if (event.key === 'Enter') {
        event.preventDefault();
        void charge();
        return;
      }
      const key = keyFromKeyboard(event.key);
      if (key) {
        event.preventDefault();
        setAmount((current) => pressKey(current, key, decimals));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [charge, decimals]);

  // The invoice on display, live.
  useEffect(() => {
    if (!invoice) return;
    return subscribe('invoice.changed', ({ invoice: changed }) => {
      if (changed.id === invoice.id) setInvoice(changed);
    });
  }, [invoice]);

  const newCharge = async () => {
    setInvoice(null);
    setQr(null);
    await call('display.clear', {}).catch(() => undefined);
  };

  return (
    <div className="page charge">
      <header className="page__header">
        <h1 className="page__title">Charge</h1>
      </header>
      <div className="charge__grid">
        <div className="card charge__entry">
          <div className="charge__choice">
            <label>
              <span className="field__label">Chain</span>
              <select
                className="select"
                aria-label="Chain"
                value={chain?.chainId ?? ''}
                onChange={(event) => choose({ chainId: Number(event.target.value), token: NATIVE })}
              >
                {chains.map((candidate) => (
                  <option key={candidate.chainId} value={candidate.chainId}>
                    {candidate.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span className="field__label">Token</span>
              <select
                className="select"
                aria-label="Token"
                value={token}
                disabled={!chain}
                onChange={(event) => chain && choose({ chainId: chain.chainId, token: event.target.value })}
              >
                <option value={NATIVE}>{chain?.nativeSymbol ?? 'Native coin'}</option>
                {chain?.tokens.map((candidate) => (
                  <option key={candidate.address} value={candidate.address}>
                    {candidate.symbol}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="charge__mode" role="group" aria-label="Charge in">
            <button
              type="button"
              className={`charge__mode-option${byPrice ? ' charge__mode-option--on' : ''}`}
              aria-pressed={byPrice}
              disabled={currency === null}
              onClick={() => chooseMode('price')}
            >
              {currency ?? 'Shop currency'}
            </button>
            <button
              type="button"
              className={`charge__mode-option${byPrice ? '' : ' charge__mode-option--on'}`}
              aria-pressed={!byPrice}
              onClick={() => chooseMode('token')}
            >
              {tokenSymbol || 'Token'}
            </button>
            {byPrice && (
              <label className="charge__currency">
                <span className="visually-hidden">Shop currency</span>
                <select
                  className="select"
                  aria-label="Shop currency"
                  value={currency}
                  onChange={(event) => void chooseCurrency(event.target.value as ShopCurrency)}
                >
                  {SHOP_CURRENCIES.map((code) => (
                    <option key={code} value={code}>
                      {code}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </div>
          <output className="charge__amount" aria-label="Amount" data-testid="charge-amount">
            {amount || '0'} <span className="charge__symbol">{symbol}</span>
          </output>
          <div className="charge__keypad" role="group" aria-label="Keypad">
            {KEYS.map((key) => (
              <button
                key={key}
                type="button"
                className="charge__key"
                aria-label={key === 'backspace' ? 'Delete last digit' : key}
                onClick={() => setAmount((current) => pressKey(current, key, decimals))}
              >
                {keyLabel(key)}
              </button>
            ))}
          </div>
          <label className="charge__note">
            <span className="field__label">Note or order reference (optional)</span>
            <input className="input" value={note} maxLength={200} onChange={(event) => setNote(event.target.value)} />
          </label>
          <button
            type="button"
            className="button button--primary charge__go"
            disabled={!chain || !isChargeable(amount) || busy}
            onClick={() => void charge()}
          >
            {busy ? 'Creating…' : 'Charge (Enter)'}
          </button>
          {error && <ErrorText message={error} />}
        </div>
        <div className="card charge__current" aria-live="polite">
          {invoice ? (
            <>
              <div className="charge__status">
                <StatusBadge status={invoice.status} />
                <span className="mono small">{invoice.id}</span>
              </div>
              <p className="charge__due" data-testid="charge-due">
                {invoice.price ? `${formatPrice(invoice.price)} · ` : ''}
                {invoice.amount} {invoice.token.symbol}
              </p>
              {invoice.rate && invoice.price && (
                <p className="muted small" data-testid="charge-rate">
                  1 {invoice.token.symbol} = {invoice.rate.value} {invoice.price.currency} · {invoice.rate.source}
                </p>
              )}
              {qr && (
                <img className="charge__qr" alt="Payment QR code" src={`data:image/svg+xml;utf8,${encodeURIComponent(qr)}`} />
              )}
              <p className="muted small">Shown on the customer display.</p>
              <button type="button" className="button" onClick={() => void newCharge()}>
                New charge
              </button>
            </>
          ) : (
            <p className="muted">Type an amount and press Enter: the QR code appears here and on the customer display.</p>
          )}
          <DisplayPairingCard />
        </div>
      </div>
    </div>
  );
}

const DISPLAY_SCREEN_TEXT: Record<DisplayWindowScreen, string> = {
  external: 'On the second screen',
  same: 'In a window (no second screen found)',
};

/** The desktop app: the customer display is a window of Till, on the second screen if there is one. */
function DisplayWindowButton() {
  const [screen, setScreen] = useState<DisplayWindowScreen | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = async () => {
    setError(null);
    try {
      setScreen((await call('display.openWindow', {})).screen);
    } catch (caught) {
      setScreen(null);
      setError(errorMessage(caught));
    }
  };
  return (
    <>
      <div className="charge__pairing-actions">
        <button type="button" className="button" onClick={() => void open()}>
          Open customer display
        </button>
        {screen && (
          <p className="small" role="status" data-testid="display-window-screen">
            {DISPLAY_SCREEN_TEXT[screen]}
          </p>
        )}
      </div>
      <p className="muted small">
        A tablet instead: run <code>till serve</code> on this computer and open Charge in its browser UI to pair one.
      </p>
      {error && <ErrorText message={error} />}
    </>
  );
}

function DisplayPairingCard() {
  const [paired, setPaired] = useState<number | null>(null);
  const [pairing, setPairing] = useState<(DisplayPairing & { url: string; qr: string }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(() => {
    call('display.state', {})
      .then((state) => setPaired(state.pairedDisplays))
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    refresh();
    const interval = setInterval(refresh, 5_000);
    return () => clearInterval(interval);
  }, [refresh]);

  const pair = async () => {
    setError(null);
    try {
      const made = await call('display.pair', {});
      // A page of till serve: the tablet opens it on the address this browser uses.
      const url = `${window.location.origin}${made.path}`;
      const QRCode = (await import('qrcode')).default;
      setPairing({ ...made, url, qr: await QRCode.toString(url, { type: 'svg', margin: 2 }) });
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  // A lost or stolen tablet: every paired screen goes back to "not paired" at its next poll.
  const unpairAll = async () => {
    setError(null);
    try {
      await call('display.unpairAll', {});
      setPairing(null);
      refresh();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  const desktop = window.location.protocol === 'app:';
  return (
    <section className="charge__pairing" aria-labelledby="display-heading">
      <h2 id="display-heading" className="subsection-title">
        Customer display
      </h2>
      {desktop ? (
        <DisplayWindowButton />
      ) : (
        <>
          <p className="muted small">
            {paired === null ? '' : paired === 0 ? 'No screen paired yet.' : `${paired} screen(s) paired.`} Open{' '}
            <code>{`${window.location.origin}/display`}</code> on a screen facing the customer, paired with a one-time link.
          </p>
          <div className="charge__pairing-actions">
            <button type="button" className="button" onClick={() => void pair()}>
              Pair a customer display
            </button>
            {paired !== null && paired > 0 && (
              <button type="button" className="button button--ghost" onClick={() => void unpairAll()}>
                Forget paired screens
              </button>
            )}
          </div>
          {pairing && (
            <div className="charge__pairing-link">
              <img alt="Pairing link QR code" src={`data:image/svg+xml;utf8,${encodeURIComponent(pairing.qr)}`} width={160} />
              <p className="small">
                Scan or open on the display (once, within 10 minutes):{' '}
                <a href={pairing.url} data-testid="pairing-link" target="_blank" rel="noreferrer">
                  {pairing.url}
                </a>
              </p>
            </div>
          )}
          {error && <ErrorText message={error} />}
        </>
      )}
    </section>
  );
}
