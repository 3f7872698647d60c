import { getAddress } from 'viem';
import { formatAmount } from '../../../shared/amounts.ts';
import type { Invoice, Payment } from '../../../shared/domain.ts';
import type { Store } from '../db/store.ts';
import type { InvoiceRecord } from '../db/repositories/invoices-repo.ts';
import type { PaymentRecord } from '../db/repositories/payments-repo.ts';
import { paymentDepth } from './status-model.ts';

/** The invoice object exactly as the merchant API, the UI and webhooks show it. */
export function toInvoiceView(record: InvoiceRecord, payments: PaymentRecord[] = [], head: number | null = null): Invoice {
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
    payments: payments.map((payment) => toPaymentView(payment, record.tokenDecimals, head)),
  };
}

function toPaymentView(payment: PaymentRecord, decimals: number, head: number | null): Payment {
  return {
    txHash: payment.txHash,
    logIndex: payment.logIndex < 0 ? null : payment.logIndex,
    // Stored as the chain reported it (lower case in logs); shown EIP-55 like every address Till returns.
    from: getAddress(payment.from),
    amount: formatAmount(payment.amount, decimals),
    blockNumber: payment.blockNumber,
    blockHash: payment.blockHash,
    confirmations: payment.status === 'orphaned' ? 0 : paymentDepth(payment.blockNumber, head),
    status: payment.status,
    detectedAt: payment.detectedAt,
  };
}

/** The view with the invoice's payments and their confirmations at the chain's scanned head. */
export function loadInvoiceView(store: Store, record: InvoiceRecord): Invoice {
  return toInvoiceView(
    record,
    store.payments.listForInvoice(record.id),
    store.scanCursors.get(record.chainId)?.blockNumber ?? null,
  );
}
