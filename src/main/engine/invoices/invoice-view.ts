import { formatAmount } from '../../../shared/amounts.ts';
import type { Invoice } from '../../../shared/domain.ts';
import type { InvoiceRecord } from '../db/repositories/invoices-repo.ts';

/** The invoice object exactly as the merchant API, the UI and (later) webhooks show it. */
export function toInvoiceView(record: InvoiceRecord): Invoice {
  return {
    id: record.id,
    status: record.status,
    exceptionStatus: record.exceptionStatus,
    chainId: record.chainId,
    token: {
      address: record.tokenAddress as Invoice['token']['address'],
      symbol: record.tokenSymbol,
      decimals: record.tokenDecimals,
    },
    amount: formatAmount(record.amount, record.tokenDecimals),
    amountReceived: formatAmount(record.amountReceived, record.tokenDecimals),
    address: record.address,
    derivationIndex: record.derivationIndex,
    paymentUri: record.paymentUri,
    orderId: record.orderId,
    metadata: record.metadata,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    detectedAt: record.detectedAt,
    confirmedAt: record.confirmedAt,
    settledAt: record.settledAt,
    payments: [],
  };
}
