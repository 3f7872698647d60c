import { useEffect, useState } from 'react';
import { formatPrice } from '../../../../shared/currencies.ts';
import type { Invoice } from '../../../../shared/domain.ts';
import { call } from '../../transport/index.ts';
import { formatDateTime } from '../../ui/format.ts';

/**
 * The printable receipt of an invoice: hidden on screen, the only thing on paper when the
 * merchant prints (see `.print-receipt` in styles.css). What a customer or an accountant needs:
 * shop, date, price, token amount, network, the transactions.
 */
export function InvoiceReceipt({ invoice, network }: { invoice: Invoice; network: string }) {
  const [shopName, setShopName] = useState<string | null>(null);
  useEffect(() => {
    call('shop.get', {})
      .then((shop) => setShopName(shop.name))
      .catch(() => undefined);
  }, []);
  const payments = invoice.payments.filter((payment) => payment.status !== 'orphaned');
  const paidAt = invoice.confirmedAt ?? invoice.detectedAt ?? invoice.createdAt;
  return (
    <section className="print-receipt" aria-hidden="true" data-testid="print-receipt">
      <h1>{shopName ?? 'Receipt'}</h1>
      <p>Receipt · {formatDateTime(paidAt)}</p>
      <dl>
        {invoice.price && (
          <>
            <dt>Price</dt>
            <dd>{formatPrice(invoice.price)}</dd>
          </>
        )}
        <dt>{payments.length > 0 ? 'Paid' : 'Amount due'}</dt>
        <dd>
          {payments.length > 0 ? invoice.amountReceived : invoice.amount} {invoice.token.symbol}
        </dd>
        <dt>Network</dt>
        <dd>{network}</dd>
        {invoice.rate && invoice.price && (
          <>
            <dt>Rate</dt>
            <dd>
              1 {invoice.token.symbol} = {invoice.rate.value} {invoice.price.currency} ({invoice.rate.source})
            </dd>
          </>
        )}
        {payments.map((payment) => (
          <div key={`${payment.txHash}:${payment.logIndex ?? ''}`}>
            <dt>Transaction</dt>
            <dd className="mono">{payment.txHash}</dd>
          </div>
        ))}
        <dt>Invoice</dt>
        <dd className="mono">
          {invoice.id}
          {invoice.orderId ? ` · order ${invoice.orderId}` : ''}
        </dd>
      </dl>
    </section>
  );
}
