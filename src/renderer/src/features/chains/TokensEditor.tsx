import { useState, type FormEvent } from 'react';
import type { Chain, Token } from '../../../../shared/domain.ts';
import { call, errorMessage } from '../../transport/index.ts';
import { ShortAddress } from '../../ui/Address.tsx';
import { ConfirmDialog, ErrorText } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { ADDRESS_PATTERN } from '../onboarding/TreasuryForm.tsx';
import { useChainsStore } from './chains-store.ts';

export function TokensEditor({ chain }: { chain: Chain }) {
  const put = useChainsStore((state) => state.put);
  const [removing, setRemoving] = useState<Token | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const remove = async () => {
    if (!removing) return;
    setBusy(true);
    try {
      put(await call('tokens.remove', { chainId: chain.chainId, address: removing.address }));
      setRemoving(null);
      setRemoveError(null);
    } catch (caught) {
      setRemoveError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="tokens">
      <h4 className="subsection-title">Tokens</h4>
      {chain.tokens.length === 0 ? (
        <p className="muted small">No ERC-20 tokens yet. Invoices can still be paid in {chain.nativeSymbol}.</p>
      ) : (
        <table className="table table--compact">
          <caption className="visually-hidden">Tokens on {chain.name}</caption>
          <thead>
            <tr>
              <th scope="col">Symbol</th>
              <th scope="col">Contract</th>
              <th scope="col" className="numeric">
                Decimals
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {chain.tokens.map((token) => (
              <tr key={token.address}>
                <td>
                  <strong>{token.symbol}</strong>
                </td>
                <td>
                  <ShortAddress address={token.address} copyLabel={`Copy ${token.symbol} contract address`} />
                </td>
                <td className="numeric tabular">{token.decimals}</td>
                <td className="actions-cell">
                  <button
                    type="button"
                    className="button button--ghost button--small button--danger-text"
                    aria-label={`Remove ${token.symbol} from ${chain.name}`}
                    onClick={() => setRemoving(token)}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AddTokenForm chain={chain} />
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.symbol}?`}
          message={
            <p>
              New invoices on {chain.name} can no longer ask for {removing.symbol}. Existing invoices keep their token.
            </p>
          }
          confirmLabel="Remove token"
          busy={busy}
          error={removeError}
          onConfirm={remove}
          onCancel={() => {
            setRemoving(null);
            setRemoveError(null);
          }}
        />
      )}
    </div>
  );
}

function AddTokenForm({ chain }: { chain: Chain }) {
  const put = useChainsStore((state) => state.put);
  const [symbol, setSymbol] = useState('');
  const [address, setAddress] = useState('');
  const [decimals, setDecimals] = useState('6');
  const [errors, setErrors] = useState<{ symbol?: string; address?: string; decimals?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    if (!/^[A-Za-z0-9.$_-]{1,16}$/.test(symbol.trim())) found.symbol = 'Letters, digits and . $ _ - (up to 16).';
    if (!ADDRESS_PATTERN.test(address.trim())) found.address = '0x followed by 40 hexadecimal characters.';
    if (!/^\d{1,2}$/.test(decimals.trim()) || Number(decimals) > 36) found.decimals = 'A whole number from 0 to 36.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setError(null);
    setBusy(true);
    try {
      put(
        await call('tokens.add', {
          chainId: chain.chainId,
          token: { symbol: symbol.trim(), address: address.trim(), decimals: Number(decimals) },
        }),
      );
      setSymbol('');
      setAddress('');
      setDecimals('6');
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="token-form" onSubmit={onSubmit} noValidate aria-label={`Add a token to ${chain.name}`}>
      <Field label="Symbol" error={errors.symbol}>
        <input className="input" value={symbol} onChange={(event) => setSymbol(event.target.value)} placeholder="USDC" />
      </Field>
      <Field label="Contract address" error={errors.address} className="token-form__address">
        <input
          className="input mono"
          value={address}
          onChange={(event) => setAddress(event.target.value)}
          placeholder="0x…"
          spellCheck={false}
        />
      </Field>
      <Field label="Decimals" error={errors.decimals}>
        <input
          className="input tabular"
          inputMode="numeric"
          value={decimals}
          onChange={(event) => setDecimals(event.target.value)}
        />
      </Field>
      <button type="submit" className="button" disabled={busy}>
        Add token
      </button>
      {error && <ErrorText message={error} />}
    </form>
  );
}
