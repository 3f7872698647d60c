import { useEffect, useState, type FormEvent } from 'react';
import { errorMessage } from '../../transport/index.ts';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { ErrorText } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { EmptyState, Spinner } from '../../ui/Spinner.tsx';
import { formatAgo, formatDateTime } from '../../ui/format.ts';
import { useNow } from '../../ui/useNow.ts';
import { formatBytes, parseKeep, restoreCommand } from './backup-format.ts';
import { useBackupsStore } from './backups-store.ts';
import './backups.css';

export function BackupsSection() {
  const { overview, error, load } = useBackupsStore();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    void load();
  }, [load]);

  const backUpNow = async () => {
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome({ ok: true, text: `Backed up to ${await useBackupsStore.getState().backUpNow()}.` });
    } catch (caught) {
      setOutcome({ ok: false, text: errorMessage(caught) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="settings-section" aria-labelledby="backups-title">
      <header className="settings-section__header">
        <div>
          <h2 id="backups-title" className="section-title">
            Backups
          </h2>
          <p className="muted">
            While Till runs it backs its database up once a day into the data folder. A backup is safe to take while payments
            arrive.
          </p>
        </div>
        <button type="button" className="button button--primary" onClick={backUpNow} disabled={busy || !overview}>
          {busy ? 'Backing up…' : 'Back up now'}
        </button>
      </header>
      {error && <ErrorText message={error} />}
      {outcome &&
        (outcome.ok ? (
          <p className="success-text" role="status">
            {outcome.text}
          </p>
        ) : (
          <ErrorText message={outcome.text} />
        ))}
      {!overview ? (
        !error && (
          <div className="center-block">
            <Spinner label="Loading backups" />
          </div>
        )
      ) : (
        <>
          {overview.lastError && (
            <div className="callout callout--warning" role="alert">
              <div>
                <p className="callout__title">The last daily backup failed</p>
                <p className="callout__body">{overview.lastError}</p>
              </div>
            </div>
          )}
          <div className="card backups-settings">
            <dl className="facts facts--wide">
              <div>
                <dt>Folder</dt>
                <dd className="backups-folder">
                  <code className="mono">{overview.directory}</code>
                  <CopyButton value={overview.directory} label="Copy backups folder" />
                </dd>
              </div>
              <div>
                <dt>Daily backups</dt>
                <dd>{overview.keep === 0 ? 'Off' : `The newest ${overview.keep.toLocaleString()} are kept`}</dd>
              </div>
              <div>
                <dt>Last backup</dt>
                <dd>
                  <LastBackup at={overview.lastBackupAt} />
                </dd>
              </div>
            </dl>
            <KeepForm keep={overview.keep} />
          </div>
          <BackupList />
          <RestoreHelp newest={overview.items[0]?.path ?? null} />
        </>
      )}
    </section>
  );
}

function LastBackup({ at }: { at: string | null }) {
  const now = useNow(30_000);
  if (!at) return <>None yet</>;
  return (
    <time dateTime={at} title={formatDateTime(at, true)}>
      {formatAgo(at, now)}
    </time>
  );
}

function KeepForm({ keep }: { keep: number }) {
  const [text, setText] = useState(String(keep));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseKeep(text);
    if (!parsed.ok) return setError(parsed.error);
    setError(null);
    setBusy(true);
    try {
      await useBackupsStore.getState().setKeep(parsed.keep);
      setText(String(parsed.keep));
      setSaved(true);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="backups-keep" onSubmit={onSubmit} noValidate>
      <Field label="Daily backups to keep" hint="0 turns daily backups off; Back up now still works." error={error}>
        <input
          className="input tabular"
          inputMode="numeric"
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setSaved(false);
          }}
        />
      </Field>
      <button type="submit" className="button" disabled={busy || text.trim() === String(keep)}>
        {busy ? 'Saving…' : 'Save'}
      </button>
      {saved && (
        <p className="success-text small" role="status">
          Saved.
        </p>
      )}
    </form>
  );
}

function BackupList() {
  const items = useBackupsStore((state) => state.overview?.items);
  if (!items || items.length === 0)
    return <EmptyState title="No backups yet">The first daily backup is made a few minutes after Till starts.</EmptyState>;
  // Only a backup that was read back knows its invoice count; a column of dashes says nothing.
  const counted = items.some((item) => item.invoices !== undefined);
  return (
    <div className="card table-wrap">
      <table className="table">
        <caption className="visually-hidden">Backups</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">File</th>
            <th scope="col" className="numeric">
              Size
            </th>
            {counted && (
              <th scope="col" className="numeric">
                Invoices
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.path} data-backup-name={item.name}>
              <td className="tabular">
                <time dateTime={item.createdAt}>{formatDateTime(item.createdAt, true)}</time>
              </td>
              <td>
                <span className="backups-file">
                  <span className="mono" title={item.path}>
                    {item.name}
                  </span>
                  <CopyButton value={item.path} label={`Copy path of ${item.name}`} />
                </span>
              </td>
              <td className="numeric tabular">{formatBytes(item.sizeBytes)}</td>
              {counted && (
                <td className="numeric tabular">{item.invoices === undefined ? '—' : item.invoices.toLocaleString()}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RestoreHelp({ newest }: { newest: string | null }) {
  const command = restoreCommand(newest ?? 'FILE');
  return (
    <section className="card backups-restore" aria-labelledby="restore-title">
      <h3 id="restore-title" className="card__title">
        Restoring
      </h3>
      <p>
        A backup holds your invoices, payments, sweeps and settings, never the keys. Your recovery words are the other half of a
        restore: with the words and a recent backup, Till can be rebuilt on any computer. Copy backups off this disk now and then.
      </p>
      <p>
        Restoring replaces the database, so it refuses while Till runs on this folder. Quit Till (and stop{' '}
        <code className="mono">till serve</code>), then run:
      </p>
      <div className="copy-field__row">
        <code className="copy-field__value mono" aria-label="Restore command">
          {command}
        </code>
        <CopyButton value={command} label="Copy restore command" withText />
      </div>
      <p className="muted small">
        The current database is kept aside. On a new computer, then put the words back with{' '}
        <code className="mono">till wallet import</code>.
      </p>
    </section>
  );
}
