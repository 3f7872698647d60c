import { getAddress } from 'viem';
import { formatAmount } from '../../../shared/amounts.ts';
import type { Invoice, Payment } from '../../../shared/domain.ts';
import type { Store } from '../db/store.ts';
import type { InvoiceRecord } from '../db/repositories/invoices-repo.ts';
import type { PaymentRecord } from '../db/repositories/payments-repo.ts';
import { paymentDepth } from './status-model.ts';
import { NATIVE } from '../db/repositories/sweep-deposits-repo.ts';

/** The invoice object exactly as the merchant API, the UI and webhooks show it. */
export function toInvoiceView(
  record: InvoiceRecord,
  payments: PaymentRecord[] = [],
  head: number | null = null,
  sweep: Invoice['sweep'] = null,
  checkoutBase: string | null = null,
): Invoice {
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
    sweep,
    redirectUrl: record.redirectUrl,
    price: record.price,
    rate: record.rate,
    checkoutUrl: checkoutBase === null ? null : `${checkoutBase}/pay/${encodeURIComponent(record.id)}`,
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

/**
 * The view with the invoice's payments and their confirmations at the chain's scanned head, and
 * once it is settled, the sweep that moved its funds with its share of that sweep's cost.
 */
export function loadInvoiceView(store: Store, record: InvoiceRecord): Invoice {
  return toInvoiceView(
    record,
    store.payments.listForInvoice(record.id),
    store.scanCursors.get(record.chainId)?.blockNumber ?? null,
    record.status === 'settled' ? settlementView(store, record) : null,
    checkoutBase(store),
  );
}

/** The merchant's public URL (behind a reverse proxy), else where till serve last listened. */
export function checkoutBase(store: Store): string | null {
  const base = store.settings.get('public_url') ?? store.settings.get('serve_url');
  return base === null ? null : base.replace(/\/+$/, '');
}

function settlementView(store: Store, record: InvoiceRecord): Invoice['sweep'] {
  const settlement = store.sweepItems.settlementOf(record.id, record.tokenAddress?.toLowerCase() ?? NATIVE);
  if (!settlement) return null;
  const nativeDecimals = store.chains.get(record.chainId)?.nativeDecimals ?? 18;
  return {
    txHash: settlement.txHash,
    gasCost: formatAmount(settlement.feeShare, nativeDecimals),
    sweptAt: settlement.sweptAt,
  };
}
