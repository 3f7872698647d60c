import { useState } from 'react';
import { uiExportRoute } from '../../../../shared/contract-names.ts';
import type { ExportKind } from '../../../../shared/exports.ts';
import { call, errorMessage, useConnectionStore } from '../../transport/index.ts';
import { ErrorText } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { periodQuery, presetPeriods, querySearch, type ExportPeriod, type ExportQuery } from './export-period.ts';
import './exports.css';

const kinds: { kind: ExportKind; title: string; body: string }[] = [
  {
    kind: 'invoices',
    title: 'Invoices',
    body: 'Every invoice created in the period: amount asked and received, status, when it was paid and swept.',
  },
  {
    kind: 'payments',
    title: 'Payments',
    body: 'Every payment that arrived in the period (block time): payer, transaction, confirmations, whether it counted.',
  },
  {
    kind: 'sweeps',
    title: 'Sweeps',
    body: 'Every sweep in the period: what went to the treasury and the gas it cost, failed ones too.',
  },
];

/**
 * CSV exports for a period, as `till export` and GET /api/v1/exports/{kind}.csv give them. In a
 * browser the file is a plain download (streamed by the server); the desktop app asks where to
 * save it and writes it there.
 */
export function ExportsSection() {
  const host = useConnectionStore((state) => state.host);
  const [period, setPeriod] = useState<ExportPeriod>(() => presetPeriods(new Date())[1]!.period);
  const checked = periodQuery(period);

  return (
    <section className="settings-section" aria-labelledby="exports-title">
      <header className="settings-section__header">
        <div>
          <h2 id="exports-title" className="section-title">
            Exports
          </h2>
          <p className="muted">
            CSV files for your books: UTF-8, times in UTC, amounts exact in token units. Scripts get the same files from{' '}
            <code className="mono">till export</code> or the API.
          </p>
        </div>
      </header>
      <div className="card form" role="group" aria-labelledby="export-period-title">
        <h3 className="card__title" id="export-period-title">
          Period
        </h3>
        <div className="export-presets" role="group" aria-label="Common periods">
          {presetPeriods(new Date()).map((preset) => (
            <button
              key={preset.label}
              type="button"
              className="button button--small"
              aria-pressed={preset.period.from === period.from && preset.period.through === period.through}
              onClick={() => setPeriod(preset.period)}
            >
              {preset.label}
            </button>
          ))}
          <button
            type="button"
            className="button button--small button--ghost"
            onClick={() => setPeriod({ from: '', through: '' })}
          >
            All time
          </button>
        </div>
        <div className="form__row">
          <Field label="From" hint="The first day, included (UTC). Empty: since the first record.">
            <input
              className="input tabular"
              type="date"
              value={period.from}
              onChange={(event) => setPeriod({ ...period, from: event.target.value })}
            />
          </Field>
          <Field label="Through" hint="The last day, included (UTC). Empty: until now.">
            <input
              className="input tabular"
              type="date"
              value={period.through}
              onChange={(event) => setPeriod({ ...period, through: event.target.value })}
            />
          </Field>
        </div>
        {!checked.ok && <ErrorText message={checked.error} />}
      </div>
      <ul className="card export-list" aria-label="CSV exports">
        {kinds.map((entry) => (
          <li key={entry.kind} className="export-list__item">
            <div>
              <p className="export-list__title">{entry.title}</p>
              <p className="muted small">{entry.body}</p>
            </div>
            {host === 'browser' ? (
              <DownloadLink kind={entry.kind} title={entry.title} query={checked.ok ? checked.query : null} />
            ) : (
              <SaveButton kind={entry.kind} title={entry.title} query={checked.ok ? checked.query : null} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function DownloadLink({ kind, title, query }: { kind: ExportKind; title: string; query: ExportQuery | null }) {
  const label = `Download ${title.toLowerCase()} CSV`;
  if (!query)
    return (
      <button type="button" className="button" disabled>
        {label}
      </button>
    );
  // A link, not fetch(): the browser streams the file to disk however large it is.
  return (
    <a className="button" href={uiExportRoute(kind) + querySearch(query)} download>
      {label}
    </a>
  );
}

function SaveButton({ kind, title, query }: { kind: ExportKind; title: string; query: ExportQuery | null }) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const save = async () => {
    if (!query) return;
    setBusy(true);
    setOutcome(null);
    try {
      const result = await call('exports.save', { kind, ...query });
      if (result.saved)
        setOutcome({
          ok: true,
          text: `Saved ${result.rows.toLocaleString()} ${result.rows === 1 ? 'row' : 'rows'} to ${result.path}`,
        });
    } catch (caught) {
      setOutcome({ ok: false, text: errorMessage(caught) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="export-list__action">
      <button type="button" className="button" onClick={save} disabled={busy || !query}>
        {busy ? 'Saving…' : `Save ${title.toLowerCase()} CSV…`}
      </button>
      {outcome &&
        (outcome.ok ? (
          <p className="success-text small" role="status">
            {outcome.text}
          </p>
        ) : (
          <ErrorText message={outcome.text} />
        ))}
    </div>
  );
}
