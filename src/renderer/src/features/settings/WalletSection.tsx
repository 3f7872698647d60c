import { useState } from 'react';
import { useEngineStore } from '../../app/engine-store.ts';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { TreasuryForm } from '../onboarding/TreasuryForm.tsx';

const keystoreLabels = { os: 'Operating-system keychain', file: 'Passphrase-encrypted file' } as const;

export function WalletSection() {
  const wallet = useEngineStore((state) => state.wallet);
  const setWallet = useEngineStore((state) => state.setWallet);
  const refreshEngine = useEngineStore((state) => state.refreshEngine);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);

  if (!wallet) return null;
  return (
    <section className="settings-section" aria-labelledby="wallet-title">
      <header className="settings-section__header">
        <div>
          <h2 id="wallet-title" className="section-title">
            Wallet
          </h2>
          <p className="muted">The recovery words never leave the keystore; invoice addresses are derived from them.</p>
        </div>
      </header>
      <div className="card">
        <dl className="facts facts--wide">
          <div>
            <dt>Fingerprint</dt>
            <dd className="mono">{wallet.fingerprint ?? '—'}</dd>
          </div>
          <div>
            <dt>Keystore</dt>
            <dd>{wallet.keystore ? keystoreLabels[wallet.keystore] : '—'}</dd>
          </div>
          <div>
            <dt>Addresses derived</dt>
            <dd className="tabular">{wallet.nextIndex.toLocaleString()}</dd>
          </div>
        </dl>
      </div>
      <div className="card">
        <h3 className="card__title">Treasury</h3>
        {saved && !editing && (
          <p className="success-text" role="status">
            Treasury address saved.
          </p>
        )}
        {editing || !wallet.treasury ? (
          <TreasuryForm
            initial={wallet.treasury}
            onSaved={(next) => {
              setWallet(next);
              void refreshEngine();
              setEditing(false);
              setSaved(true);
            }}
            extraActions={
              wallet.treasury ? (
                <button type="button" className="button button--ghost" onClick={() => setEditing(false)}>
                  Cancel
                </button>
              ) : undefined
            }
          />
        ) : (
          <div className="treasury-row">
            <code className="mono treasury-row__full">{wallet.treasury}</code>
            <CopyButton value={wallet.treasury} label="Copy treasury address" withText />
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                setSaved(false);
                setEditing(true);
              }}
            >
              Change treasury address
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
