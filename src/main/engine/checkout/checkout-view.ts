import { getAddress } from 'viem';
import { formatAmount } from '../../../shared/amounts.ts';
import { explorerTxUrl, findChainPreset } from '../../../shared/chain-presets.ts';
import type { CheckoutState, CheckoutView } from '../../../shared/checkout.ts';
import type { Store } from '../db/store.ts';
import type { InvoiceRecord } from '../db/repositories/invoices-repo.ts';
import { paymentUri } from '../invoices/payment-uri.ts';
import { paymentDepth } from '../invoices/status-model.ts';
import { isoTime } from '../lib/clock.ts';

function stateOf(record: InvoiceRecord): CheckoutState {
  switch (record.status) {
    case 'confirmed':
    case 'settled':
      return 'paid';
    case 'detected':
      return 'confirming';
    case 'expired':
      return 'expired';
    case 'invalid':
      return 'invalid';
    case 'pending':
      return record.amountReceived > 0n ? 'partly_paid' : 'awaiting_payment';
  }
}

/** The customer's view of one invoice; undefined when there is no such invoice. */
export function checkoutView(store: Store, id: string, now: number): CheckoutView | undefined {
  const record = store.invoices.get(id);
  if (!record) return undefined;
  const chain = store.chains.get(record.chainId);
  const chainName = chain?.name ?? findChainPreset(record.chainId)?.name ?? `chain ${record.chainId}`;
  const head = store.scanCursors.get(record.chainId)?.blockNumber ?? null;
  const state = stateOf(record);
  const due = record.amount > record.amountReceived ? record.amount - record.amountReceived : 0n;
  const stillDue = state === 'awaiting_payment' || state === 'partly_paid';
  const show = (value: bigint) => formatAmount(value, record.tokenDecimals);
  return {
    id: record.id,
    state,
    shopName: store.settings.get('shop_name'),
    chain: { id: record.chainId, name: chainName },
    network: `${record.tokenSymbol} on ${chainName}`,
    token: { symbol: record.tokenSymbol, decimals: record.tokenDecimals, address: record.tokenAddress },
    price: record.price,
    amount: show(record.amount),
    amountReceived: show(record.amountReceived),
    amountDue: show(stillDue ? due : 0n),
    address: getAddress(record.address),
    paymentUri:
      state === 'partly_paid'
        ? paymentUri({ chainId: record.chainId, address: record.address, tokenAddress: record.tokenAddress, amount: due })
        : record.paymentUri,
    qrUrl: `./${encodeURIComponent(record.id)}/qr.svg?due=${show(stillDue ? due : 0n)}`,
    expiresAt: record.expiresAt,
    now: isoTime(now),
    confirmationsRequired: chain?.confirmations ?? 1,
    payments: store.payments
      .listForInvoice(record.id)
      .filter((payment) => payment.status !== 'orphaned')
      .map((payment) => ({
        txHash: payment.txHash,
        amount: show(payment.amount),
        at: payment.detectedAt,
        confirmations: paymentDepth(payment.blockNumber, head),
        explorerUrl: explorerTxUrl(record.chainId, payment.txHash),
      })),
    redirectUrl: state === 'paid' ? record.redirectUrl : null,
  };
}
