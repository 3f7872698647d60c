import { useEffect, useState } from 'react';
import type { Chain } from '../../../../shared/domain.ts';
import { call, errorMessage } from '../../transport/index.ts';
import { ConfirmDialog, ErrorText } from '../../ui/Dialog.tsx';
import { EmptyState } from '../../ui/Spinner.tsx';
import { ChainForm } from './ChainForm.tsx';
import { TokensEditor } from './TokensEditor.tsx';
import { useChainsStore } from './chains-store.ts';

export function ChainsSection() {
  const { chains, loaded, loadError, load } = useChainsStore();
  const [adding, setAdding] = useState(false);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="settings-section" aria-labelledby="chains-title">
      <header className="settings-section__header">
        <div>
          <h2 id="chains-title" className="section-title">
            Chains
          </h2>
          <p className="muted">The EVM networks Till watches for payments, and the RPC endpoints it reads them from.</p>
        </div>
        {!adding && (
          <button type="button" className="button button--primary" onClick={() => setAdding(true)}>
            Add chain
          </button>
        )}
      </header>
      {loadError && <ErrorText message={loadError} />}
      {adding && <ChainForm onDone={() => setAdding(false)} />}
      {loaded && chains.length === 0 && !adding && (
        <EmptyState title="No chain yet">Add a chain to start creating invoices.</EmptyState>
      )}
      <div className="stack">
        {chains.map((chain) => (
          <ChainCard key={chain.chainId} chain={chain} />
        ))}
      </div>
    </section>
  );
}

function ChainCard({ chain }: { chain: Chain }) {
  const { put, drop } = useChainsStore();
  const [editing, setEditing] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (editing) return <ChainForm chain={chain} onDone={() => setEditing(false)} />;

  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      put(await call('chains.setEnabled', { chainId: chain.chainId, enabled: !chain.enabled }));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await call('chains.remove', { chainId: chain.chainId });
      setConfirmRemove(false);
      drop(chain.chainId);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <article className={`card chain-card ${chain.enabled ? '' : 'chain-card--disabled'}`} aria-label={chain.name}>
      <header className="chain-card__header">
        <div>
          <h3 className="chain-card__name">{chain.name}</h3>
          <p className="muted small tabular">
            Chain ID {chain.chainId} · {chain.nativeSymbol}
          </p>
        </div>
        <div className="chain-card__actions">
          <label className="switch">
            <input
              type="checkbox"
              role="switch"
              checked={chain.enabled}
              disabled={busy}
              onChange={toggle}
              aria-label={`${chain.name} enabled`}
            />
            <span className="switch__track" aria-hidden="true" />
            <span className="switch__text">{chain.enabled ? 'Enabled' : 'Disabled'}</span>
          </label>
          <button
            type="button"
            className="button button--small"
            onClick={() => setEditing(true)}
            aria-label={`Edit ${chain.name}`}
          >
            Edit
          </button>
          <button
            type="button"
            className="button button--small button--danger-text"
            onClick={() => setConfirmRemove(true)}
            aria-label={`Remove ${chain.name}`}
          >
            Remove
          </button>
        </div>
      </header>
      {error && !confirmRemove && <ErrorText message={error} />}
      <dl className="facts">
        <div>
          <dt>RPC URLs</dt>
          <dd>
            <ul className="plain-list mono small">
              {chain.rpcUrls.map((url) => (
                <li key={url}>{url}</li>
              ))}
            </ul>
          </dd>
        </div>
        <div>
          <dt>Confirmations</dt>
          <dd className="tabular">{chain.confirmations}</dd>
        </div>
        <div>
          <dt>Poll interval</dt>
          <dd className="tabular">{chain.pollIntervalMs.toLocaleString()} ms</dd>
        </div>
        <div>
          <dt>Start block</dt>
          <dd className="tabular">{chain.startBlock === null ? 'Current block' : chain.startBlock.toLocaleString()}</dd>
        </div>
      </dl>
      <TokensEditor chain={chain} />
      {confirmRemove && (
        <ConfirmDialog
          title={`Remove ${chain.name}?`}
          message={
            <p>
              Till stops watching {chain.name}. Payments to open invoices on this chain will no longer be detected. You can add
              the chain again later.
            </p>
          }
          confirmLabel="Remove chain"
          busy={busy}
          error={error}
          onConfirm={remove}
          onCancel={() => {
            setConfirmRemove(false);
            setError(null);
            setBusy(false);
          }}
        />
      )}
    </article>
  );
}
