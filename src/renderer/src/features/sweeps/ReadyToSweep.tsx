import type { ChainSweepStatus, SweepPlan } from '../../../../shared/sweeps.ts';
import { EmptyState, Spinner } from '../../ui/Spinner.tsx';
import { ShortAddress } from '../../ui/Address.tsx';
import { sweepKindLabels, sweepTriggerLabels } from './sweep-labels.ts';

/**
 * What waits on the chain's deposit addresses and what each planned sweep would cost, as the
 * engine's planner sees it now (sweeps.plan): nothing here is computed by the UI.
 */
export function ReadyToSweep({ chain, plan }: { chain: ChainSweepStatus; plan: SweepPlan | undefined }) {
  const captionId = `ready-${chain.chainId}`;
  return (
    <section className="sweep-block" aria-labelledby={captionId}>
      <h3 id={captionId} className="subsection-title">
        Ready to sweep
      </h3>
      {chain.ready.length > 0 && (
        <ul className="pill-group pill-group--wrap" aria-label={`Waiting on ${chain.name}`}>
          {chain.ready.map((token) => (
            <li key={token.token ?? 'native'} className="pill tabular">
              {token.amount} {token.symbol} · {token.deposits.toLocaleString()} {token.deposits === 1 ? 'deposit' : 'deposits'}
            </li>
          ))}
        </ul>
      )}
      {!plan ? (
        <Spinner label={`Planning sweeps on ${chain.name}`} />
      ) : plan.sweeps.length === 0 ? (
        <EmptyState title="Nothing to sweep">
          Paid invoices appear here once confirmed; their funds wait on their deposit addresses until swept.
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table table--compact">
            <caption className="visually-hidden">Planned sweeps on {chain.name}</caption>
            <thead>
              <tr>
                <th scope="col">Strategy</th>
                <th scope="col">Deposits</th>
                <th scope="col" className="numeric">
                  Value
                </th>
                <th scope="col" className="numeric">
                  Estimated cost
                </th>
                <th scope="col" className="numeric">
                  Fee share
                </th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {plan.sweeps.map((sweep, index) => (
                <tr key={`${sweep.kind}:${sweep.token.address ?? 'native'}:${index}`}>
                  <td>{sweepKindLabels[sweep.kind]}</td>
                  <td className="wrap">
                    {sweep.items.length === 1 ? (
                      <>
                        <ShortAddress address={sweep.items[0]!.address} copyLabel="Copy deposit address" />
                        <span className="muted small sweep-reason">{sweep.items[0]!.reason}</span>
                      </>
                    ) : (
                      `${sweep.items.length.toLocaleString()} addresses`
                    )}
                  </td>
                  <td className="numeric tabular">
                    {sweep.value} <span className="muted">{sweep.token.symbol}</span>
                  </td>
                  <td className="numeric tabular">
                    {sweep.estimatedFee} <span className="muted">{chain.nativeSymbol}</span>
                    <span className="muted small sweep-sub">{sweep.estimatedGas.toLocaleString()} gas</span>
                  </td>
                  <td className="numeric tabular">{sweep.feeShare ?? '—'}</td>
                  <td className="wrap sweep-when">
                    {sweep.trigger && chain.settings.paused ? (
                      <span className="muted small">
                        Paused: would go now ({sweepTriggerLabels[sweep.trigger]}); only Sweep now sends it.
                      </span>
                    ) : sweep.trigger ? (
                      <span className="text-ok">Goes now ({sweepTriggerLabels[sweep.trigger]})</span>
                    ) : (
                      <span className="muted small">Waits: {sweep.waitingReason}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {plan && plan.fees && (
        <p className="muted small tabular">
          Fees now: {plan.fees.baseFeeGwei !== null && `base ${plan.fees.baseFeeGwei} gwei · `}tip {plan.fees.priorityFeeGwei}{' '}
          gwei · max {plan.fees.maxFeeGwei} gwei per gas
        </p>
      )}
      {plan?.notes.map((note) => (
        <p key={note} className="muted small">
          {note}
        </p>
      ))}
    </section>
  );
}
