import { useEffect } from 'react';
import type { ReportSummary } from '../../../../shared/reports.ts';
import { useConnectionStore } from '../../transport/index.ts';
import { ErrorText } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { EmptyState, Spinner } from '../../ui/Spinner.tsx';
import { ReceivedChart, seriesLabel, unitsOf } from './ReceivedChart.tsx';
import { periodPresetLabels, type PeriodPreset } from './report-periods.ts';
import { useReportsStore } from './reports-store.ts';

const presets: PeriodPreset[] = ['this-month', 'last-month', 'last-30-days', 'custom'];

export function ReportsScreen() {
  const { preset, period, summary, loading, error, choosePreset, setCustom, setActive, load } = useReportsStore();
  const reconnects = useConnectionStore((state) => state.reconnects);

  useEffect(() => {
    setActive(true);
    return () => setActive(false);
  }, [setActive]);
  // Fresh on entry and after the event stream returns; invoice and sweep changes refresh it in between.
  useEffect(() => {
    void load();
  }, [load, reconnects]);

  return (
    <section className="page" aria-labelledby="reports-title">
      <header className="page__header">
        <div>
          <h1 id="reports-title" className="page__title">
            Reports
          </h1>
          <p className="page__subtitle tabular">
            {summary
              ? `${summary.period.from} to ${summary.period.to} (UTC days) — the same rows as the CSV exports for this period`
              : ' '}
          </p>
        </div>
      </header>

      <div className="report-period" role="group" aria-label="Period">
        <div className="segmented">
          {presets.map((candidate) => (
            <button
              key={candidate}
              type="button"
              className="segmented__option"
              aria-pressed={preset === candidate}
              onClick={() => choosePreset(candidate)}
            >
              {periodPresetLabels[candidate]}
            </button>
          ))}
        </div>
        {preset === 'custom' && (
          <div className="report-period__custom">
            <Field label="From">
              <input
                type="date"
                className="input"
                value={period.from}
                required
                onChange={(event) => event.target.value && setCustom({ from: event.target.value })}
              />
            </Field>
            <Field label="To (inclusive)">
              <input
                type="date"
                className="input"
                value={period.to}
                required
                onChange={(event) => event.target.value && setCustom({ to: event.target.value })}
              />
            </Field>
          </div>
        )}
      </div>

      {error && <ErrorText message={error} />}
      {!summary ? (
        !error && (
          <div className="center-block">
            <Spinner label="Loading the report" />
          </div>
        )
      ) : (
        <div className="stack" aria-busy={loading}>
          <ReceivedCard summary={summary} />
          <TotalsCard summary={summary} />
          <div className="report-grid">
            <FeesCard summary={summary} />
            <InvoicesCard summary={summary} />
          </div>
        </div>
      )}
    </section>
  );
}

function ReceivedCard({ summary }: { summary: ReportSummary }) {
  const units = unitsOf(summary.tokens);
  return (
    <section className="card" aria-labelledby="received-title">
      <h2 id="received-title" className="card__title">
        Received
      </h2>
      {units.length === 0 ? (
        <EmptyState title="Nothing received in this period">
          Payments show here by the day of their block, in each token’s own units.
        </EmptyState>
      ) : (
        <div className="report-charts">
          {units.map((unit) => (
            <ReceivedChart key={unit.id} unit={unit} summary={summary} />
          ))}
        </div>
      )}
    </section>
  );
}

function TotalsCard({ summary }: { summary: ReportSummary }) {
  if (summary.tokens.length === 0) return null;
  return (
    <section className="card" aria-labelledby="totals-title">
      <h2 id="totals-title" className="card__title">
        Totals per token
      </h2>
      <div className="table-wrap">
        <table className="table" aria-labelledby="totals-title">
          <thead>
            <tr>
              <th scope="col">Token</th>
              <th scope="col">Chain</th>
              <th scope="col" className="numeric">
                Payments
              </th>
              <th scope="col" className="numeric">
                Received
              </th>
            </tr>
          </thead>
          <tbody>
            {summary.tokens.map((token) => (
              <tr key={token.key} data-token={seriesLabel(token)}>
                <td className="report-token">{token.symbol}</td>
                <td>{token.chain ?? `Chain ${token.chainId}`}</td>
                <td className="numeric tabular">{token.payments.toLocaleString()}</td>
                <td className="numeric tabular" data-testid="received">
                  {token.received}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function FeesCard({ summary }: { summary: ReportSummary }) {
  return (
    <section className="card" aria-labelledby="fees-title">
      <h2 id="fees-title" className="card__title">
        Fees spent on sweeps
      </h2>
      {summary.sweepFees.length === 0 ? (
        <EmptyState title="No sweep fees in this period" />
      ) : (
        <div className="table-wrap">
          <table className="table" aria-labelledby="fees-title">
            <thead>
              <tr>
                <th scope="col">Chain</th>
                <th scope="col" className="numeric">
                  Sweeps
                </th>
                <th scope="col" className="numeric">
                  Fees
                </th>
              </tr>
            </thead>
            <tbody>
              {summary.sweepFees.map((chain) => (
                <tr key={chain.chainId}>
                  <td>{chain.chain ?? `Chain ${chain.chainId}`}</td>
                  <td className="numeric tabular">{chain.sweeps.toLocaleString()}</td>
                  <td className="numeric tabular">
                    {chain.fee} {chain.nativeSymbol ?? ''}
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

function InvoicesCard({ summary }: { summary: ReportSummary }) {
  const counts = summary.invoices;
  const facts: [string, number][] = [
    ['Created', counts.created],
    ['Paid', counts.paid],
    ['Open', counts.open],
    ['Expired', counts.expired],
    ['Invalid', counts.invalid],
  ];
  return (
    <section className="card" aria-labelledby="invoice-counts-title">
      <h2 id="invoice-counts-title" className="card__title">
        Invoices created in the period
      </h2>
      <dl className="report-counts">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd className="tabular">{value.toLocaleString()}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
