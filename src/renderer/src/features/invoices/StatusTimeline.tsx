import { explorerTxUrl } from '../../../../shared/chain-presets.ts';
import type { Invoice } from '../../../../shared/domain.ts';
import { formatDateTime } from '../../ui/format.ts';
import { useChainsStore } from '../chains/chains-store.ts';
import { TxHash } from '../sweeps/TxHash.tsx';

interface Step {
  key: string;
  label: string;
  at: string | null;
  tone: 'done' | 'todo' | 'expired' | 'invalid';
}

function stepsOf(invoice: Invoice): Step[] {
  const steps: Step[] = [
    { key: 'created', label: 'Created', at: invoice.createdAt, tone: 'done' },
    { key: 'detected', label: 'Payment detected', at: invoice.detectedAt, tone: invoice.detectedAt ? 'done' : 'todo' },
    { key: 'confirmed', label: 'Confirmed', at: invoice.confirmedAt, tone: invoice.confirmedAt ? 'done' : 'todo' },
    { key: 'settled', label: 'Settled to treasury', at: invoice.settledAt, tone: invoice.settledAt ? 'done' : 'todo' },
  ];
  const expired = invoice.status === 'expired';
  const expiry: Step = {
    key: 'expires',
    label: expired ? 'Expired' : 'Expires',
    at: invoice.expiresAt,
    tone: expired ? 'expired' : 'todo',
  };
  // Expiry sits where it happened in time: before detection if nothing was paid in time.
  if (expired && !invoice.detectedAt) steps.splice(1, 0, expiry);
  else if (!invoice.confirmedAt || expired) steps.push(expiry);
  if (invoice.status === 'invalid') steps.push({ key: 'invalid', label: 'Invalid', at: null, tone: 'invalid' });
  return steps;
}

export function StatusTimeline({ invoice }: { invoice: Invoice }) {
  const nativeSymbol = useChainsStore((state) => state.chains.find((chain) => chain.chainId === invoice.chainId)?.nativeSymbol);
  return (
    <ol className="timeline" aria-label="Invoice timeline">
      {stepsOf(invoice).map((step) => (
        <li key={step.key} className={`timeline__step timeline__step--${step.tone}`}>
          <span className="timeline__marker" aria-hidden="true" />
          <span className="timeline__label">{step.label}</span>
          <span className="timeline__time tabular">
            {step.at ? <time dateTime={step.at}>{formatDateTime(step.at, true)}</time> : step.tone === 'todo' ? 'Not yet' : '—'}
          </span>
          {step.key === 'settled' && invoice.sweep && (
            <span className="timeline__detail" aria-label="Sweep to the treasury">
              <TxHash hash={invoice.sweep.txHash} url={explorerTxUrl(invoice.chainId, invoice.sweep.txHash)} />
              <span className="tabular">
                gas {invoice.sweep.gasCost} {nativeSymbol ?? ''}
              </span>
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}
