import type { Store } from '../db/store.ts';
import type { PaymentRecord } from '../db/repositories/payments-repo.ts';
import { newId } from '../lib/ids.ts';
import type { Transfer, Watched } from './match-transfers.ts';
import { blockTimeIso, type RpcBlock } from './rpc-types.ts';

/**
 * Turns transfers to deposit addresses into payments (unique by chain, tx, log index) and
 * alerts: a token the invoice did not ask for is an alert and never counts; a payment after
 * the monitoring window is recorded, not counted, and raised. Call inside a transaction; returns
 * the payments new to each invoice (for invoice.payment_received).
 */
export function recordTransfers(
  deps: { store: Store; chainId: number },
  transfers: Transfer[],
  watched: Map<string, Watched>,
  headers: Map<number, RpcBlock>,
  at: string,
): Map<string, PaymentRecord[]> {
  const { store, chainId } = deps;
  const newByInvoice = new Map<string, PaymentRecord[]>();
  for (const transfer of transfers) {
    const entry = watched.get(transfer.to);
    if (!entry) continue;
    // Till's own sweep transactions (a gas top-up of a token deposit that is still watched, such
    // as an expired invoice's partial payment) are neither a payment nor a wrong token.
    if (transfer.kind === 'native' && store.sweepTxs.isOwn(transfer.txHash)) continue;
    const invoice = store.invoices.get(entry.invoiceId);
    if (!invoice) continue;
    if (entry.tokenAddress !== transfer.tokenAddress) {
      const what = transfer.tokenAddress ? `token ${transfer.tokenAddress}` : 'the native coin';
      store.alerts.raise(
        {
          id: newId('alr'),
          type: 'wrong_token',
          severity: 'warning',
          chainId,
          invoiceId: invoice.id,
          message: `Invoice ${invoice.id} asked for ${invoice.tokenSymbol}, but ${transfer.amount} base units of ${what} arrived at its address (tx ${transfer.txHash}). It was not counted.`,
          remedy:
            'The funds are in your wallet at that deposit address. Agree with the customer whether to accept them; then mark the invoice paid, or refund them.',
          details: {
            txHash: transfer.txHash,
            logIndex: transfer.logIndex,
            token: transfer.tokenAddress,
            amount: transfer.amount.toString(),
          },
          dedupeKey: `wrong_token:${chainId}:${transfer.txHash}:${transfer.logIndex}`,
        },
        at,
      );
      continue;
    }
    const header = headers.get(transfer.blockNumber);
    if (!header) throw new Error(`no header for block ${transfer.blockNumber}`);
    const blockTime = blockTimeIso(header);
    const counted = blockTime <= invoice.monitorUntil;
    const { record, isNew } = store.payments.upsert(
      {
        chainId,
        txHash: transfer.txHash,
        logIndex: transfer.logIndex,
        invoiceId: invoice.id,
        tokenAddress: transfer.tokenAddress,
        from: transfer.from,
        to: transfer.to,
        amount: transfer.amount,
        blockNumber: transfer.blockNumber,
        blockHash: transfer.blockHash,
        blockTime,
        counted,
        detectedAt: at,
      },
      at,
    );
    if (!counted && isNew) {
      store.alerts.raise(
        {
          id: newId('alr'),
          type: 'payment_after_window',
          severity: 'warning',
          chainId,
          invoiceId: invoice.id,
          message: `A payment to invoice ${invoice.id} arrived after its monitoring window (tx ${transfer.txHash}). It is recorded on the invoice but does not change its status.`,
          remedy: 'The funds are in your wallet. Contact the customer: deliver and mark the invoice paid, or refund.',
          details: { txHash: transfer.txHash, amount: transfer.amount.toString() },
          dedupeKey: `late:${chainId}:${transfer.txHash}:${transfer.logIndex}`,
        },
        at,
      );
    }
    if (isNew) newByInvoice.set(invoice.id, [...(newByInvoice.get(invoice.id) ?? []), record]);
  }
  return newByInvoice;
}
