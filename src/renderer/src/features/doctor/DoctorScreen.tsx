import type { DoctorCheck, DoctorReport } from '../../../../shared/doctor.ts';
import { ToneBadge } from '../../ui/Badge.tsx';
import { ShortAddress } from '../../ui/Address.tsx';
import { ErrorText } from '../../ui/Dialog.tsx';
import { EmptyState, Spinner } from '../../ui/Spinner.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { chainName, useChainsStore } from '../chains/chains-store.ts';
import { groupChecks, levelLabels, levelTones, summarize } from './doctor-report.ts';
import { useDoctorStore } from './doctor-store.ts';
import './doctor.css';

/**
 * The Doctor screen: `till doctor` on demand. It reads only (RPC endpoints are asked, nothing is
 * written), so it runs when asked rather than on every visit: a slow endpoint takes seconds.
 */
export function DoctorScreen() {
  const { report, running, error, run } = useDoctorStore();
  return (
    <section className="page" aria-labelledby="doctor-title">
      <header className="page__header">
        <div>
          <h1 id="doctor-title" className="page__title">
            Doctor
          </h1>
          <p className="page__subtitle">
            Checks the database, the keystore, every chain&rsquo;s RPC and balances, webhooks and sweeps.
          </p>
        </div>
        <button type="button" className="button button--primary" onClick={() => void run()} disabled={running}>
          {running ? 'Running checks…' : report ? 'Run checks again' : 'Run checks'}
        </button>
      </header>
      {error && <ErrorText message={`The checks could not run: ${error}`} />}
      {running && !report && (
        <div className="center-block">
          <Spinner label="Running checks" />
        </div>
      )}
      {!running && !report && !error && (
        <EmptyState title="No checks run yet">
          Run the checks when something looks wrong, after a restore, or before you rely on a new chain. Nothing is changed.
        </EmptyState>
      )}
      {report && <Report report={report} stale={running} />}
    </section>
  );
}

function Report({ report, stale }: { report: DoctorReport; stale: boolean }) {
  return (
    <div className="stack" aria-busy={stale}>
      <div className={`card doctor-summary doctor-summary--${report.level}`} role="status">
        <ToneBadge tone={levelTones[report.level]}>{levelLabels[report.level]}</ToneBadge>
        <p className="doctor-summary__text tabular">{summarize(report.checks)}</p>
        <p className="muted small tabular">
          Checked <time dateTime={report.generatedAt}>{formatDateTime(report.generatedAt, true)}</time> · Till {report.version}
        </p>
      </div>
      {groupChecks(report.checks).map((group) => (
        <section key={group.area} className="card doctor-group" aria-labelledby={`doctor-area-${group.area}`}>
          <h2 id={`doctor-area-${group.area}`} className="card__title doctor-group__title">
            {group.label}
            <ToneBadge tone={levelTones[group.level]}>{levelLabels[group.level]}</ToneBadge>
          </h2>
          <ul className="doctor-checks" aria-label={`${group.label} checks`}>
            {group.checks.map((check) => (
              <CheckRow key={check.id} check={check} />
            ))}
          </ul>
        </section>
      ))}
      {report.differences.length > 0 && <Differences report={report} />}
    </div>
  );
}

function CheckRow({ check }: { check: DoctorCheck }) {
  return (
    <li className={`doctor-check doctor-check--${check.level}`} data-check-id={check.id}>
      <ToneBadge tone={levelTones[check.level]}>{levelLabels[check.level]}</ToneBadge>
      <div className="doctor-check__body">
        <p className="doctor-check__title">{check.title}</p>
        <p className="doctor-check__detail muted">{check.detail}</p>
        {check.level !== 'ok' && check.remedy && (
          <div className="alert__remedy">
            <p className="alert__remedy-title">What to do</p>
            <p>{check.remedy}</p>
          </div>
        )}
      </div>
    </li>
  );
}

function Differences({ report }: { report: DoctorReport }) {
  const chains = useChainsStore((state) => state.chains);
  return (
    <section className="card table-wrap" aria-labelledby="doctor-differences">
      <h2 id="doctor-differences" className="card__title doctor-group__title">
        Balances that differ from Till&rsquo;s records
      </h2>
      <table className="table">
        <caption className="visually-hidden">Balances that differ from Till&rsquo;s records</caption>
        <thead>
          <tr>
            <th scope="col">Chain</th>
            <th scope="col">Deposit address</th>
            <th scope="col">Token</th>
            <th scope="col" className="numeric">
              Recorded
            </th>
            <th scope="col" className="numeric">
              On chain
            </th>
            <th scope="col">What to do</th>
          </tr>
        </thead>
        <tbody>
          {report.differences.map((difference) => (
            <tr key={`${difference.chainId}-${difference.address}-${difference.token}`}>
              <td>{chainName(chains, difference.chainId)}</td>
              <td>
                <ShortAddress address={difference.address} copyLabel="Copy deposit address" />
              </td>
              <td>{difference.token}</td>
              <td className="numeric tabular">{difference.expected}</td>
              <td className="numeric tabular">{difference.actual}</td>
              <td className="wrap small">{difference.remedy}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
