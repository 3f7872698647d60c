import type { Invoice } from '../../../../shared/domain.ts';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { EmptyState } from '../../ui/Spinner.tsx';
import { formatDateTimeCompact, shortenMiddle } from '../../ui/format.ts';
import { useChainsStore } from '../chains/chains-store.ts';

const paymentStatusLabels = { pending: 'Pending', confirmed: 'Confirmed', orphaned: 'Orphaned (reorg)' } as const;

export function PaymentsTable({ invoice }: { invoice: Invoice }) {
  const required = useChainsStore((state) => state.chains.find((chain) => chain.chainId === invoice.chainId)?.confirmations);
  if (invoice.payments.length === 0) {
    return (
      <EmptyState title="No payment seen yet">
        Till is watching {shortenMiddle(invoice.address)} and will show a payment here as soon as it is in a block.
      </EmptyState>
    );
  }
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Payments to this invoice</caption>
        <thead>
          <tr>
            <th scope="col">Transaction</th>
            <th scope="col">From</th>
            <th scope="col" className="numeric">
              Amount
            </th>
            <th scope="col" className="numeric">
              Block
            </th>
            <th scope="col" className="numeric">
              Confirmations
            </th>
            <th scope="col">Status</th>
            <th scope="col">Seen</th>
          </tr>
        </thead>
        <tbody>
          {invoice.payments.map((payment) => (
            <tr
              key={`${payment.txHash}:${payment.logIndex ?? 'native'}`}
              className={payment.status === 'orphaned' ? 'is-orphaned' : undefined}
            >
              <td>
                <span className="short-address">
                  <span className="mono" title={payment.txHash}>
                    {shortenMiddle(payment.txHash, 10, 6)}
                  </span>
                  <CopyButton value={payment.txHash} label={`Copy transaction hash ${payment.txHash}`} />
                </span>
              </td>
              <td className="mono" title={payment.from}>
                {shortenMiddle(payment.from)}
              </td>
              <td className="numeric tabular">
                {payment.amount} <span className="muted">{invoice.token.symbol}</span>
              </td>
              <td className="numeric tabular">{payment.blockNumber.toLocaleString()}</td>
              <td className="numeric tabular">
                {payment.status === 'orphaned' ? (
                  '—'
                ) : (
                  <>
                    {payment.confirmations.toLocaleString()}
                    {required !== undefined && payment.status === 'pending' && (
                      <span className="muted"> of {required.toLocaleString()}</span>
                    )}
                  </>
                )}
              </td>
              <td>
                <span className={`pill pill--payment-${payment.status}`}>{paymentStatusLabels[payment.status]}</span>
              </td>
              <td className="tabular muted">{formatDateTimeCompact(payment.detectedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
