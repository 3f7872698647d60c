import { useState } from 'react';
import type { ChainSweepStatus, GasAccountView, SweepPlan } from '../../../../shared/sweeps.ts';
import { call, errorMessage } from '../../transport/index.ts';
import { ShortAddress } from '../../ui/Address.tsx';
import { ToneBadge } from '../../ui/Badge.tsx';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { ErrorText } from '../../ui/Dialog.tsx';
import { formatDuration } from '../../ui/format.ts';
import { FundQr } from './FundQr.tsx';
import { ReadyToSweep } from './ReadyToSweep.tsx';
import { affordableText, formatBps } from './sweep-amounts.ts';
import { chainSweepStateLabels, chainSweepStateTones, strategyLabels } from './sweep-labels.ts';
import { useSweepsStore } from './sweeps-store.ts';

interface ChainSweepCardProps {
  chain: ChainSweepStatus;
  plan: SweepPlan | undefined;
  /** The overview's treasury is set (the chain's state may still say otherwise until its next step). */
  treasurySet: boolean;
  onSweepNow(chain: ChainSweepStatus): void;
}

export function ChainSweepCard({ chain, plan, treasurySet, onSweepNow }: ChainSweepCardProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const titleId = `sweep-chain-${chain.chainId}`;
  const paused = chain.settings.paused;
  // The sweeper's state is from its last step, which may predate a change the overview already shows:
  // the pause setting, or a treasury set since (a paused chain with nothing to send does not step again soon).
  const stale = chain.state === 'no_treasury' && treasurySet;
  const state = paused && (chain.state === 'idle' || chain.state === 'active' || stale) ? 'paused' : stale ? 'idle' : chain.state;
  const stateMessage = stale ? null : chain.stateMessage;

  const togglePause = async () => {
    setBusy(true);
    setError(null);
    try {
      await call(paused ? 'sweeps.resume' : 'sweeps.pause', { chainId: chain.chainId });
      useSweepsStore.getState().refresh();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="card sweep-card" aria-labelledby={titleId}>
      <header className="health-card__header">
        <div className="health-card__title">
          <h2 id={titleId} className="chain-card__name">
            {chain.name}
          </h2>
          <ToneBadge tone={chainSweepStateTones[state]}>{chainSweepStateLabels[state]}</ToneBadge>
          <span className="muted small tabular">Chain ID {chain.chainId}</span>
        </div>
        <div className="chain-card__actions">
          <button
            type="button"
            className="button button--small"
            onClick={togglePause}
            disabled={busy || chain.state === 'disabled'}
          >
            {paused ? 'Resume sweeping' : 'Pause sweeping'}
          </button>
          <button
            type="button"
            className="button button--small button--primary"
            onClick={() => onSweepNow(chain)}
            disabled={chain.state === 'disabled'}
          >
            Sweep now on {chain.name}
          </button>
        </div>
      </header>
      {stateMessage && <p className="muted">{stateMessage}</p>}
      {error && <ErrorText message={error} />}

      <div className="sweep-card__grid">
        {chain.gasAccount ? <GasAccount chain={chain} gas={chain.gasAccount} /> : <p className="muted">No gas account yet.</p>}
        <dl className="facts sweep-card__facts">
          <div>
            <dt>ERC-20 strategy</dt>
            <dd>
              {strategyLabels[chain.strategy.effective]}
              {chain.strategy.configured !== 'auto' && <span className="muted"> (chosen)</span>}
            </dd>
          </div>
          <div>
            <dt>EIP-7702 on this chain</dt>
            <dd>
              {chain.strategy.eip7702Supported === null
                ? 'Not checked yet'
                : chain.strategy.eip7702Supported
                  ? 'Supported'
                  : 'Not supported'}
            </dd>
          </div>
          <div>
            <dt>Sweeper contract</dt>
            <dd>
              {chain.sweeperContract ? (
                <>
                  <ShortAddress address={chain.sweeperContract.address} copyLabel="Copy sweeper contract address" />
                  {chain.sweeperContract.status !== 'ready' && <span className="muted"> ({chain.sweeperContract.status})</span>}
                </>
              ) : (
                <span className="muted">Deployed with the first ERC-20 batch</span>
              )}
            </dd>
          </div>
          <div>
            <dt>In flight</dt>
            <dd className="tabular">{chain.inFlight.toLocaleString()}</dd>
          </div>
          <div>
            <dt>Policy</dt>
            <dd className="tabular">
              fee ≤ {formatBps(chain.settings.maxFeeShareBps)} of the value, or after{' '}
              {formatDuration(chain.settings.maxAgeSeconds)}
            </dd>
          </div>
        </dl>
      </div>

      <ReadyToSweep chain={chain} plan={plan} />
    </article>
  );
}

function GasAccount({ chain, gas }: { chain: ChainSweepStatus; gas: GasAccountView }) {
  const labelId = `gas-account-${chain.chainId}`;
  return (
    <section className="gas-account" aria-labelledby={labelId}>
      <FundQr uri={gas.fundUri} label={`QR code to fund the gas account on ${chain.name}`} />
      <div className="gas-account__info">
        <h3 id={labelId} className="subsection-title">
          Gas account
        </h3>
        <ShortAddress address={gas.address} copyLabel="Copy gas account address" />
        <p className="amount-hero amount-hero--small tabular" aria-label={`Gas account balance on ${chain.name}`}>
          {gas.balance ?? '—'} <span className="amount-hero__symbol">{gas.symbol}</span>
        </p>
        <p className="small">
          {gas.balance === null ? 'Balance could not be read from the chain.' : affordableText(gas.sweepsAffordable)}
        </p>
        <div className="copy-field__row">
          <span className="muted small">Funding link (EIP-681)</span>
          <CopyButton value={gas.fundUri} label={`Copy the funding link of the gas account on ${chain.name}`} withText />
        </div>
        <p className="muted small">
          It pays the gas of every sweep on {chain.name}; send {gas.symbol} to it from your own wallet.
        </p>
      </div>
    </section>
  );
}
