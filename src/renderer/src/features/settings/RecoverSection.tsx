import { useState } from 'react';
import type { RecoveryScan } from '../../../../shared/sweeps.ts';
import { call, errorMessage } from '../../transport/index.ts';
import { ShortAddress } from '../../ui/Address.tsx';
import { ConfirmDialog, ErrorText } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { useChainsStore } from '../chains/chains-store.ts';
import { sumAmounts } from '../sweeps/sweep-amounts.ts';
import { describeRun } from '../sweeps/SweepNowDialog.tsx';

/**
 * "Recover from recovery words": walks the deposit addresses the words derive (recover.scan),
 * shows what they hold and what sweeping it costs, and sweeps it only on an explicit confirm.
 */
export function RecoverSection() {
  const chains = useChainsStore((state) => state.chains);
  const [chainId, setChainId] = useState<number | null>(null);
  const [scan, setScan] = useState<RecoveryScan | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const chosen = chainId ?? chains[0]?.chainId ?? null;
  const chain = chains.find((candidate) => candidate.chainId === scan?.chainId);
  const fee =
    scan && chain
      ? sumAmounts(
          scan.plan.sweeps.map((sweep) => sweep.estimatedFee),
          chain.nativeDecimals,
        )
      : null;

  const runScan = async () => {
    if (chosen === null) return;
    setBusy(true);
    setError(null);
    setOutcome(null);
    setScan(null);
    try {
      setScan(await call('recover.scan', { chainId: chosen }));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  const sweep = async () => {
    if (!scan) return;
    setBusy(true);
    setError(null);
    try {
      setOutcome(describeRun(await call('recover.sweep', { chainId: scan.chainId })));
      setConfirming(false);
      setScan(null);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="settings-section" aria-labelledby="recover-title">
      <header className="settings-section__header">
        <div>
          <h2 id="recover-title" className="section-title">
            Recover from recovery words
          </h2>
          <p className="muted">
            Finds funds on every deposit address these words derive, also ones this data folder never saw (after a lost folder),
            and sweeps them to the treasury. Nothing is sent before you confirm.
          </p>
        </div>
      </header>
      <div className="card stack">
        <div className="form__row">
          <Field label="Chain to scan">
            <select
              className="select"
              value={chosen ?? ''}
              onChange={(event) => setChainId(Number(event.target.value))}
              disabled={chains.length === 0}
            >
              {chains.map((candidate) => (
                <option key={candidate.chainId} value={candidate.chainId}>
                  {candidate.name}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="form__actions">
          <button type="button" className="button" onClick={runScan} disabled={busy || chosen === null}>
            {busy && !scan ? 'Scanning…' : 'Scan for funds'}
          </button>
        </div>
        {error && <ErrorText message={error} />}
        {outcome && (
          <p className="success-text" role="status">
            {outcome}
          </p>
        )}
        {scan && (
          <div className="stack" aria-label="What the scan found" role="region">
            <p className="tabular">
              Scanned {scan.scanned.toLocaleString()} addresses (until {scan.gap.toLocaleString()} unused in a row): found funds
              on {scan.found.filter((deposit) => deposit.balances.length > 0).length.toLocaleString()}.
            </p>
            {scan.found.length > 0 && (
              <div className="table-wrap">
                <table className="table table--compact">
                  <caption className="visually-hidden">Funds found from the recovery words</caption>
                  <thead>
                    <tr>
                      <th scope="col" className="numeric">
                        Index
                      </th>
                      <th scope="col">Address</th>
                      <th scope="col">Holds</th>
                    </tr>
                  </thead>
                  <tbody>
                    {scan.found.map((deposit) => (
                      <tr key={deposit.address}>
                        <td className="numeric tabular">{deposit.derivationIndex}</td>
                        <td>
                          <ShortAddress address={deposit.address} copyLabel="Copy deposit address" />
                        </td>
                        <td className="tabular wrap">
                          {deposit.balances.map((balance) => `${balance.amount} ${balance.symbol}`).join(', ') || '—'}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {scan.plan.sweeps.length > 0 ? (
              <>
                <p className="tabular">
                  {scan.plan.sweeps.length.toLocaleString()} {scan.plan.sweeps.length === 1 ? 'sweep' : 'sweeps'} would move it
                  {fee !== null && (
                    <>
                      , for about <strong>{fee}</strong> {chain?.nativeSymbol} in gas from the gas account
                    </>
                  )}
                  .
                </p>
                <div className="form__actions">
                  <button type="button" className="button button--primary" onClick={() => setConfirming(true)} disabled={busy}>
                    Sweep what was found…
                  </button>
                </div>
              </>
            ) : (
              <p className="muted">Nothing worth sweeping was found.</p>
            )}
            {scan.plan.notes.map((note) => (
              <p key={note} className="muted small">
                {note}
              </p>
            ))}
          </div>
        )}
      </div>
      {confirming && scan && (
        <ConfirmDialog
          title="Sweep the recovered funds?"
          message={
            <p>
              Sends {scan.plan.sweeps.length.toLocaleString()} {scan.plan.sweeps.length === 1 ? 'sweep' : 'sweeps'} on{' '}
              {chain?.name ?? `chain ${scan.chainId}`} to the treasury
              {fee !== null && `, about ${fee} ${chain?.nativeSymbol ?? ''} in gas`}.
            </p>
          }
          confirmLabel="Sweep to the treasury"
          busy={busy}
          error={error}
          onConfirm={sweep}
          onCancel={() => setConfirming(false)}
        />
      )}
    </section>
  );
}
