import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { navigate } from '../../app/router.ts';
import { call, errorMessage } from '../../transport/index.ts';
import { ErrorText } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { ChainSetupNudge } from '../chains/ChainSetupNudge.tsx';
import { useChainsStore } from '../chains/chains-store.ts';
import { DEFAULT_EXPIRY_SECONDS, MAX_EXPIRY_SECONDS, expiryChoices } from './expiry.ts';
import { useInvoiceDetailStore } from './invoice-detail-store.ts';
import { SHOP_CURRENCIES, type ShopCurrency } from '../../../../shared/currencies.ts';

const CUSTOM = 'custom';
const TOKEN_UNITS = 'token';
const NATIVE = 'native';

export function NewInvoiceScreen() {
  const allChains = useChainsStore((state) => state.chains);
  const chains = useMemo(() => allChains.filter((chain) => chain.enabled), [allChains]);
  const [chainId, setChainId] = useState<number | null>(null);
  const [token, setToken] = useState(NATIVE);
  const [amount, setAmount] = useState('');
  /** TOKEN: the amount is in token units; a currency code: a price, converted at creation. */
  const [pricedIn, setPricedIn] = useState<string>(TOKEN_UNITS);
  const [orderId, setOrderId] = useState('');
  const [expiry, setExpiry] = useState(String(DEFAULT_EXPIRY_SECONDS));
  const [customSeconds, setCustomSeconds] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [expiryError, setExpiryError] = useState<string | null>(null);

  // Default to the first enabled chain, and follow it if that chain disappears.
  useEffect(() => {
    if (chains.length === 0) setChainId(null);
    else if (chainId === null || !chains.some((chain) => chain.chainId === chainId)) setChainId(chains[0]!.chainId);
  }, [chains, chainId]);

  const chain = chains.find((candidate) => candidate.chainId === chainId);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!chain) return;
    setError(null);
    setExpiryError(null);
    let expiresInSeconds = Number(expiry);
    if (expiry === CUSTOM) {
      const text = customSeconds.trim();
      if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_EXPIRY_SECONDS) {
        setExpiryError(`Enter a whole number of seconds from 1 to ${MAX_EXPIRY_SECONDS.toLocaleString()} (30 days).`);
        return;
      }
      expiresInSeconds = Number(text);
    }
    setBusy(true);
    try {
      // The amount goes to the engine as typed: it validates it against the token's decimals.
      const invoice = await call('invoices.create', {
        chainId: chain.chainId,
        token,
        ...(pricedIn === TOKEN_UNITS
          ? { amount: amount.trim() }
          : { price: { amount: amount.trim(), currency: pricedIn as ShopCurrency } }),
        expiresInSeconds,
        ...(orderId.trim() ? { orderId: orderId.trim() } : {}),
      });
      useInvoiceDetailStore.getState().show(invoice);
      navigate({ name: 'invoice', id: invoice.id });
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <section className="page page--narrow" aria-labelledby="new-invoice-title">
      <header className="page__header">
        <div>
          <h1 id="new-invoice-title" className="page__title">
            New invoice
          </h1>
          <p className="page__subtitle">Each invoice gets its own deposit address, so every payment is matched exactly.</p>
        </div>
      </header>
      <ChainSetupNudge />
      <form className="card form" onSubmit={onSubmit} noValidate>
        <div className="form__row">
          <Field label="Chain">
            <select
              className="select"
              value={chainId ?? ''}
              disabled={chains.length === 0}
              onChange={(event) => {
                setChainId(Number(event.target.value));
                setToken(NATIVE);
              }}
            >
              {chains.length === 0 && <option value="">No enabled chain</option>}
              {chains.map((candidate) => (
                <option key={candidate.chainId} value={candidate.chainId}>
                  {candidate.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Token">
            <select className="select" value={token} disabled={!chain} onChange={(event) => setToken(event.target.value)}>
              <option value={NATIVE}>{chain ? `${chain.nativeSymbol} (native)` : 'Native coin'}</option>
              {chain?.tokens.map((candidate) => (
                <option key={candidate.address} value={candidate.address}>
                  {candidate.symbol}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <Field
          label="Priced in"
          hint="A price in a shop currency is converted to the token at creation, and that rate is locked."
        >
          <select className="select" value={pricedIn} onChange={(event) => setPricedIn(event.target.value)}>
            <option value={TOKEN_UNITS}>Token units</option>
            {SHOP_CURRENCIES.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label={pricedIn === TOKEN_UNITS ? 'Amount' : `Price in ${pricedIn}`}
          hint={
            pricedIn === TOKEN_UNITS
              ? "In token units, e.g. 12.50. Till checks it against the token's decimals."
              : `In ${pricedIn}, e.g. 12.50. Till reads the rate from Chainlink feeds on the chain.`
          }
        >
          <input
            className="input input--large tabular"
            type="text"
            inputMode="decimal"
            autoComplete="off"
            spellCheck={false}
            placeholder="0.00"
            value={amount}
            onChange={(event) => setAmount(event.target.value)}
            required
          />
        </Field>
        <Field label="Order ID" hint="Optional. Your own reference, shown on the invoice and sent in webhooks.">
          <input
            className="input"
            type="text"
            autoComplete="off"
            maxLength={200}
            value={orderId}
            onChange={(event) => setOrderId(event.target.value)}
          />
        </Field>
        <div className="form__row">
          <Field label="Expires in">
            <select className="select" value={expiry} onChange={(event) => setExpiry(event.target.value)}>
              {expiryChoices.map((choice) => (
                <option key={choice.seconds} value={String(choice.seconds)}>
                  {choice.label}
                </option>
              ))}
              <option value={CUSTOM}>Custom…</option>
            </select>
          </Field>
          {expiry === CUSTOM && (
            <Field label="Expiry in seconds" error={expiryError}>
              <input
                className="input tabular"
                type="text"
                inputMode="numeric"
                value={customSeconds}
                onChange={(event) => setCustomSeconds(event.target.value)}
              />
            </Field>
          )}
        </div>
        {error && <ErrorText message={error} />}
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy || !chain}>
            {busy ? 'Creating…' : 'Create invoice'}
          </button>
        </div>
      </form>
    </section>
  );
}
