import { useState } from 'react';
import type { ChainHealth } from '../../../../shared/domain.ts';
import { call, errorMessage } from '../../transport/index.ts';
import { ToneBadge } from '../../ui/Badge.tsx';
import { ErrorText } from '../../ui/Dialog.tsx';
import { formatAgo, formatBlock, formatDateTime, formatSpan } from '../../ui/format.ts';
import { useChainsStore } from '../chains/chains-store.ts';
import { EndpointsTable } from './EndpointsTable.tsx';
import { RescanDialog } from './RescanDialog.tsx';
import { useChainHealthStore } from './chain-health-store.ts';
import { chainStateLabels } from './overall-health.ts';
import { chainStateTones } from './chain-tones.ts';

export function ChainHealthCard({ chain, now }: { chain: ChainHealth; now: number }) {
  const configured = useChainsStore((state) => state.chains.find((candidate) => candidate.chainId === chain.chainId));
  const catchUpFrom = useChainHealthStore((state) => state.catchUpFrom[chain.chainId]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [rescanning, setRescanning] = useState(false);

  // A disabled chain reports 'disabled' whatever its pause flag; the chain list knows the flag.
  const paused = chain.state === 'paused' || (configured?.paused ?? false);
  const titleId = `chain-health-${chain.chainId}`;

  const togglePause = async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const updated = await call(paused ? 'chains.resume' : 'chains.pause', { chainId: chain.chainId });
      useChainsStore.getState().put(updated);
      await useChainHealthStore.getState().load();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className={`card health-card health-card--${chain.state}`} aria-labelledby={titleId}>
      <header className="health-card__header">
        <div className="health-card__title">
          <h2 id={titleId} className="chain-card__name">
            {chain.name}
          </h2>
          <ToneBadge tone={chainStateTones[chain.state]}>{chainStateLabels[chain.state]}</ToneBadge>
          <span className="muted small tabular">Chain ID {chain.chainId}</span>
        </div>
        <div className="chain-card__actions">
          <button type="button" className="button button--small" onClick={togglePause} disabled={busy || !chain.enabled}>
            {paused ? 'Resume scanning' : 'Pause scanning'}
          </button>
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              setNotice(null);
              setRescanning(true);
            }}
          >
            Rescan from block…
          </button>
        </div>
      </header>

      {error && <ErrorText message={error} />}
      {notice && (
        <p className="success-text" role="status">
          {notice}
        </p>
      )}

      {chain.state === 'catching-up' && <CatchUpProgress chain={chain} from={catchUpFrom} />}

      <dl className="facts facts--health">
        <div>
          <dt>Head</dt>
          <dd className="tabular">{formatBlock(chain.head)}</dd>
        </div>
        <div>
          <dt>Last scanned</dt>
          <dd className="tabular">{formatBlock(chain.lastScannedBlock)}</dd>
        </div>
        <div>
          <dt>Lag</dt>
          <dd className="tabular">
            {chain.lagBlocks === null ? '—' : `${chain.lagBlocks.toLocaleString()} ${chain.lagBlocks === 1 ? 'block' : 'blocks'}`}
            {/* lagSeconds is the age of the last scanned block: on a quiet chain it grows with no lag at all. */}
            {chain.lagSeconds !== null && (chain.lagBlocks ?? 0) > 0 && (
              <span className="muted"> · {formatSpan(chain.lagSeconds)}</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Last successful scan</dt>
          <dd className="tabular">
            {chain.lastSuccessfulScanAt ? (
              <time dateTime={chain.lastSuccessfulScanAt} title={formatDateTime(chain.lastSuccessfulScanAt, true)}>
                {formatAgo(chain.lastSuccessfulScanAt, now)}
              </time>
            ) : (
              'Never'
            )}
          </dd>
        </div>
        <div>
          <dt>Watched addresses</dt>
          <dd className="tabular">{chain.watchedAddresses.toLocaleString()}</dd>
        </div>
        <div className="facts__wide">
          <dt>Native-coin detection</dt>
          <dd>
            <NativeDetectionFact chain={chain} />
          </dd>
        </div>
      </dl>

      {chain.lastError && (
        <div className="callout callout--danger callout--stacked" role="note">
          <p className="callout__title">Last error</p>
          <p className="callout__body mono">{chain.lastError}</p>
        </div>
      )}

      <div className="health-card__endpoints">
        <h3 className="subsection-title">RPC endpoints</h3>
        <EndpointsTable chain={chain} />
      </div>

      {rescanning && (
        <RescanDialog
          chain={chain}
          onCancel={() => setRescanning(false)}
          onDone={(fromBlock) => {
            setRescanning(false);
            setNotice(`Rescanning ${chain.name} from block ${fromBlock.toLocaleString()}.`);
            void useChainHealthStore.getState().load();
          }}
        />
      )}
    </article>
  );
}

function CatchUpProgress({ chain, from }: { chain: ChainHealth; from: number | undefined }) {
  const lag = chain.lagBlocks ?? 0;
  const start = Math.max(from ?? lag, lag, 1);
  const percent = Math.round(((start - lag) / start) * 100);
  const speed = chain.catchUpBlocksPerSecond;
  return (
    <div className="catch-up">
      <div className="catch-up__text small">
        <span>
          Catching up: <strong className="tabular">{lag.toLocaleString()}</strong> blocks to go
        </span>
        <span className="muted tabular">
          {speed !== null ? `${speed < 10 ? speed.toFixed(1) : Math.round(speed).toLocaleString()} blocks/s` : 'Measuring speed…'}
          {chain.etaSeconds !== null && ` · about ${formatSpan(chain.etaSeconds)} left`}
        </span>
      </div>
      <progress
        className="progress"
        max={100}
        value={percent}
        aria-label={`${chain.name} catch-up progress`}
        aria-valuetext={`${percent} %, ${lag.toLocaleString()} blocks to go`}
      />
    </div>
  );
}

const SETTING_LABEL = { auto: 'automatic', balances: 'balance-first', blocks: 'every block' } as const;

/** Which method the scanner used last and why, next to the merchant's setting. */
function NativeDetectionFact({ chain }: { chain: ChainHealth }) {
  const status = chain.nativeDetectionStatus;
  const setting = `setting: ${SETTING_LABEL[chain.nativeDetection]}`;
  if (!status) return <span className="muted">No native invoice watched yet ({setting})</span>;
  return (
    <>
      <span>{status.mode === 'balances' ? 'Balance-first' : 'Reading every block'}</span>{' '}
      <span className="muted">
        ({setting}
        {status.balanceReads ? `; balances by ${status.balanceReads === 'override' ? 'state override' : 'Multicall3'}` : ''})
      </span>
      <span className="muted health-card__reason" data-testid="native-detection-reason">
        {status.reason}
      </span>
    </>
  );
}
