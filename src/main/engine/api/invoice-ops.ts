import type { Invoice, InvoicePage, ListInvoicesInput } from '../../../shared/domain.ts';
import type { Store } from '../db/store.ts';
import { TillError } from '../lib/errors.ts';
import { loadInvoiceView } from '../invoices/invoice-view.ts';
import { qrSvg } from '../invoices/qr.ts';

export function getInvoice(store: Store, id: string): Invoice {
  const record = store.invoices.get(id);
  if (!record) throw new TillError('INVOICE_NOT_FOUND', `No invoice with id ${id.slice(0, 64)}.`);
  return loadInvoiceView(store, record);
}

/** Cursors are opaque to clients: base64url of the last row's position. */
const encodeCursor = (seq: number): string => Buffer.from(`s:${seq}`).toString('base64url');
function decodeCursor(cursor: string): number {
  const match = /^s:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match)
    throw new TillError(
      'VALIDATION_FAILED',
      'cursor is not one Till gave out; pass the nextCursor of the previous page unchanged.',
    );
  return Number(match[1]);
}

export function listInvoices(store: Store, input: ListInvoicesInput): InvoicePage {
  const limit = input.limit ?? 50;
  const rows = store.invoices.list({
    status: input.status,
    chainId: input.chainId,
    orderId: input.orderId,
    search: input.search?.trim() || undefined,
    beforeSeq: input.cursor ? decodeCursor(input.cursor) : undefined,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    items: page.map((record) => loadInvoiceView(store, record)),
    nextCursor: rows.length > limit && page.length > 0 ? encodeCursor(page.at(-1)!.seq) : null,
  };
}

export async function invoiceQrSvg(store: Store, id: string): Promise<{ svg: string }> {
  const invoice = getInvoice(store, id);
  return { svg: await qrSvg(invoice.paymentUri) };
}
