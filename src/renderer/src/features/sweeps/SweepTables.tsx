import { useState } from 'react';
import type { SweepDetail, SweepView } from '../../../../shared/sweeps.ts';
import { call, errorMessage } from '../../transport/index.ts';
import { ToneBadge } from '../../ui/Badge.tsx';
import { ErrorText } from '../../ui/Dialog.tsx';
import { EmptyState } from '../../ui/Spinner.tsx';
import { formatDateTime, formatDateTimeCompact } from '../../ui/format.ts';
import { chainName, useChainsStore } from '../chains/chains-store.ts';
import { sumAmounts } from './sweep-amounts.ts';
import { sweepKindLabels, sweepStatusLabels, sweepStatusTones, sweepTriggerLabels } from './sweep-labels.ts';
import { useSweepsStore } from './sweeps-store.ts';
import { TxHash } from './TxHash.tsx';

function what(sweep: SweepView): string {
  if (sweep.kind === 'deploy' || !sweep.token) return sweepKindLabels[sweep.kind];
  return `${sweep.value} ${sweep.token.symbol}`;
}

/** Signed and not final yet: each transaction's nonce, fees and attempts, with Bump and Retry. */
export function InFlightSweeps({ sweeps }: { sweeps: SweepDetail[] }) {
  return (
    <section className="card" aria-labelledby="in-flight-title">
      <h2 id="in-flight-title" className="card__title">
        Sweeps in flight
      </h2>
      {sweeps.length === 0 ? (
        <EmptyState title="Nothing in flight">A sweep shows here from the moment it is signed until it is final.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Sweeps in flight</caption>
            <thead>
              <tr>
                <th scope="col">Sweep</th>
                <th scope="col">Status</th>
                <th scope="col">Transaction</th>
                <th scope="col" className="numeric">
                  Nonce
                </th>
                <th scope="col" className="numeric">
                  Max fee / tip
                </th>
                <th scope="col" className="numeric">
                  Attempts
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sweeps.map((sweep) => (
                <InFlightRow key={sweep.id} sweep={sweep} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function InFlightRow({ sweep }: { sweep: SweepDetail }) {
  const chains = useChainsStore((state) => state.chains);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The transaction that is still waiting, else the last one (a top-up sweep has two).
  const tx = sweep.txs.find((candidate) => candidate.status === 'pending') ?? sweep.txs.at(-1);
  const attempt = tx?.attempts.at(-1);
  const replacements = Math.max(0, (tx?.attempts.length ?? 1) - 1);

  const act = async (method: 'sweeps.bump' | 'sweeps.retry') => {
    setBusy(true);
    setError(null);
    try {
      await call(method, { id: sweep.id });
      useSweepsStore.getState().refresh();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <tr data-sweep-id={sweep.id}>
      <td className="wrap">
        <span className="tabular">{what(sweep)}</span>
        <span className="muted small sweep-sub">
          {sweepKindLabels[sweep.kind]} · {sweep.deposits.toLocaleString()} {sweep.deposits === 1 ? 'deposit' : 'deposits'} ·{' '}
          {chainName(chains, sweep.chainId)} · {sweepTriggerLabels[sweep.trigger]}
        </span>
      </td>
      <td>
        <ToneBadge tone={sweepStatusTones[sweep.status]}>{sweepStatusLabels[sweep.status]}</ToneBadge>
        {attempt?.lastError && <span className="text-bad small sweep-sub">{attempt.lastError}</span>}
        {error && <ErrorText message={error} />}
      </td>
      <td>
        {sweep.txHash ? <TxHash hash={sweep.txHash} url={sweep.explorerUrl} /> : <span className="muted">Not signed yet</span>}
      </td>
      <td className="numeric tabular">{tx ? tx.nonce.toLocaleString() : '—'}</td>
      <td className="numeric tabular">
        {attempt ? (
          <>
            {attempt.maxFeeGwei} / {attempt.priorityFeeGwei} <span className="muted">gwei</span>
          </>
        ) : (
          '—'
        )}
      </td>
      <td className="numeric tabular">
        {sweep.attempts.toLocaleString()}
        {replacements > 0 && (
          <span className="muted small sweep-sub">
            {replacements} {replacements === 1 ? 'replacement' : 'replacements'}
          </span>
        )}
      </td>
      <td className="actions-cell">
        {sweep.status === 'pending' && (
          <>
            <button
              type="button"
              className="button button--small"
              disabled={busy}
              onClick={() => act('sweeps.bump')}
              aria-label={`Bump the fees of sweep ${sweep.id}`}
            >
              Bump
            </button>
            <button
              type="button"
              className="button button--small button--ghost"
              disabled={busy}
              onClick={() => act('sweeps.retry')}
              aria-label={`Send sweep ${sweep.id} again`}
            >
              Retry
            </button>
          </>
        )}
      </td>
    </tr>
  );
}

/** Done sweeps, newest first, with what each cost in gas. */
export function SweepHistory({ sweeps }: { sweeps: SweepView[] }) {
  const chains = useChainsStore((state) => state.chains);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const nativeOf = (chainId: number) => chains.find((chain) => chain.chainId === chainId);
  // A total only where every sweep is on one chain: coins of different chains do not add up.
  const single =
    sweeps.length > 0 && sweeps.every((sweep) => sweep.chainId === sweeps[0]!.chainId) ? nativeOf(sweeps[0]!.chainId) : undefined;
  const total = single
    ? sumAmounts(
        sweeps.map((sweep) => sweep.fee ?? '0'),
        single.nativeDecimals,
      )
    : null;

  const retry = async (id: string) => {
    setBusyId(id);
    setError(null);
    try {
      await call('sweeps.retry', { id });
      useSweepsStore.getState().refresh();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusyId(null);
    }
  };

  return (
    <section className="card" aria-labelledby="sweep-history-title">
      <h2 id="sweep-history-title" className="card__title">
        History
      </h2>
      {total !== null && single && (
        <p className="muted small tabular">
          Gas spent on the {sweeps.length.toLocaleString()} {sweeps.length === 1 ? 'sweep' : 'sweeps'} listed: {total}{' '}
          {single.nativeSymbol}
        </p>
      )}
      {error && <ErrorText message={error} />}
      {sweeps.length === 0 ? (
        <EmptyState title="No sweeps yet">Finished sweeps are listed here with what each one cost.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Sweep history</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Sweep</th>
                <th scope="col">Status</th>
                <th scope="col">Transaction</th>
                <th scope="col" className="numeric">
                  Gas spent
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sweeps.map((sweep) => (
                <tr key={sweep.id} data-sweep-id={sweep.id}>
                  <td className="tabular muted">
                    <time
                      dateTime={sweep.finalAt ?? sweep.createdAt}
                      title={formatDateTime(sweep.finalAt ?? sweep.createdAt, true)}
                    >
                      {formatDateTimeCompact(sweep.finalAt ?? sweep.createdAt)}
                    </time>
                  </td>
                  <td className="wrap">
                    <span className="tabular">{what(sweep)}</span>
                    <span className="muted small sweep-sub">
                      {sweepKindLabels[sweep.kind]} · {sweep.deposits.toLocaleString()}{' '}
                      {sweep.deposits === 1 ? 'deposit' : 'deposits'} · {chainName(chains, sweep.chainId)}
                    </span>
                  </td>
                  <td className="wrap">
                    <ToneBadge tone={sweepStatusTones[sweep.status]}>{sweepStatusLabels[sweep.status]}</ToneBadge>
                    {sweep.error && <span className="text-bad small sweep-sub">{sweep.error}</span>}
                  </td>
                  <td>{sweep.txHash ? <TxHash hash={sweep.txHash} url={sweep.explorerUrl} /> : '—'}</td>
                  <td className="numeric tabular">
                    {sweep.fee === null ? (
                      '—'
                    ) : (
                      <>
                        {sweep.fee} <span className="muted">{nativeOf(sweep.chainId)?.nativeSymbol ?? ''}</span>
                        {sweep.gasUsed !== null && (
                          <span className="muted small sweep-sub">{sweep.gasUsed.toLocaleString()} gas</span>
                        )}
                      </>
                    )}
                  </td>
                  <td className="actions-cell">
                    {(sweep.status === 'failed' || sweep.status === 'dropped') && (
                      <button
                        type="button"
                        className="button button--small"
                        disabled={busyId === sweep.id}
                        onClick={() => retry(sweep.id)}
                        aria-label={`Retry sweep ${sweep.id}`}
                      >
                        Retry
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
