import { useEffect, useState } from 'react';
import type { SweepRunResult } from '../../../../shared/contract.ts';
import type { SweepPlan } from '../../../../shared/sweeps.ts';
import { call, errorMessage } from '../../transport/index.ts';
import { Dialog, ErrorText } from '../../ui/Dialog.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { chainName, useChainsStore } from '../chains/chains-store.ts';
import { sumAmounts } from './sweep-amounts.ts';
import { sweepKindLabels } from './sweep-labels.ts';

interface SweepNowDialogProps {
  /** One chain, or every enabled chain. */
  chain: { chainId: number; name: string } | null;
  onCancel(): void;
  onDone(result: SweepRunResult): void;
}

/** "Sweep now": shows what would be sent and what it costs (sweeps.plan, all), and sends it on confirm. */
export function SweepNowDialog({ chain, onCancel, onDone }: SweepNowDialogProps) {
  const chains = useChainsStore((state) => state.chains);
  const [plans, setPlans] = useState<SweepPlan[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    call('sweeps.plan', { chainId: chain?.chainId, all: true }).then(
      (answer) => current && setPlans(answer),
      (caught: unknown) => current && setError(errorMessage(caught)),
    );
    return () => {
      current = false;
    };
  }, [chain]);

  const goes = (plans ?? []).map((plan) => ({ plan, sweeps: plan.sweeps.filter((sweep) => sweep.trigger !== null) }));
  const count = goes.reduce((sum, entry) => sum + entry.sweeps.length, 0);

  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      onDone(await call('sweeps.run', { chainId: chain?.chainId }));
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={chain ? `Sweep now on ${chain.name}` : 'Sweep now'}
      onClose={onCancel}
      wide
      actions={
        <>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="button button--primary" onClick={send} disabled={busy || !plans || count === 0}>
            {count === 1 ? 'Send 1 sweep' : `Send ${count.toLocaleString()} sweeps`}
          </button>
        </>
      }
    >
      {!plans ? (
        !error && <Spinner label="Planning the sweeps" />
      ) : count === 0 ? (
        <p>Nothing to sweep now: no deposit holds more than it would cost to move.</p>
      ) : (
        <>
          <p>Everything that is worth more than its gas goes to the treasury now, whatever the policy says.</p>
          {goes
            .filter((entry) => entry.sweeps.length > 0)
            .map(({ plan, sweeps }) => {
              const known = chains.find((candidate) => candidate.chainId === plan.chainId);
              const fee = known
                ? sumAmounts(
                    sweeps.map((sweep) => sweep.estimatedFee),
                    known.nativeDecimals,
                  )
                : null;
              return (
                <div key={plan.chainId} className="stack sweep-now__chain">
                  <h3 className="subsection-title">{chainName(chains, plan.chainId)}</h3>
                  <ul className="plain-list" aria-label={`Sweeps to send on ${chainName(chains, plan.chainId)}`}>
                    {sweeps.map((sweep, index) => (
                      <li key={index} className="tabular">
                        {sweep.value} {sweep.token.symbol} from {sweep.items.length.toLocaleString()}{' '}
                        {sweep.items.length === 1 ? 'address' : 'addresses'} · {sweepKindLabels[sweep.kind]} · about{' '}
                        {sweep.estimatedFee} {known?.nativeSymbol ?? ''} in gas
                        {sweep.feeShare && ` (${sweep.feeShare})`}
                      </li>
                    ))}
                  </ul>
                  {fee !== null && (
                    <p className="tabular">
                      Estimated gas in total: <strong>{fee}</strong> {known?.nativeSymbol}, paid by the gas account.
                    </p>
                  )}
                </div>
              );
            })}
        </>
      )}
      {error && <ErrorText message={error} />}
    </Dialog>
  );
}

/** One sentence on what "Sweep now" did. */
export function describeRun(result: SweepRunResult): string {
  if (result.mode === 'queued') return 'Sent to the Till process that sweeps on this data folder; it runs there shortly.';
  const sent = result.sweeps.length;
  const what = sent === 0 ? 'No sweep was sent.' : `Sent ${sent.toLocaleString()} ${sent === 1 ? 'sweep' : 'sweeps'}.`;
  return result.problems.length === 0 ? what : `${what} ${result.problems.map((problem) => problem.message).join(' ')}`;
}
