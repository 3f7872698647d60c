import { create } from 'zustand';
import type { Invoice } from '../../../../shared/domain.ts';
import { call, errorMessage } from '../../transport/index.ts';

interface InvoiceDetailState {
  id: string | null;
  invoice: Invoice | null;
  /** data: URL of the engine's QR SVG. */
  qrDataUrl: string | null;
  error: string | null;
  open(id: string): Promise<void>;
  /** Seeds the view with an invoice we already hold (e.g. just created). */
  show(invoice: Invoice): void;
  refresh(): Promise<void>;
  applyChange(invoice: Invoice): void;
}

function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

async function loadQr(id: string): Promise<void> {
  try {
    const { svg } = await call('invoices.qrSvg', { id });
    if (useInvoiceDetailStore.getState().id === id) useInvoiceDetailStore.setState({ qrDataUrl: svgDataUrl(svg) });
  } catch (error) {
    if (useInvoiceDetailStore.getState().id === id) useInvoiceDetailStore.setState({ error: errorMessage(error) });
  }
}

export const useInvoiceDetailStore = create<InvoiceDetailState>((set, get) => ({
  id: null,
  invoice: null,
  qrDataUrl: null,
  error: null,

  async open(id) {
    const current = get();
    if (current.id === id && current.invoice) {
      if (!current.qrDataUrl) void loadQr(id);
      return;
    }
    set({ id, invoice: null, qrDataUrl: null, error: null });
    void loadQr(id);
    try {
      const invoice = await call('invoices.get', { id });
      if (get().id === id) set({ invoice });
    } catch (error) {
      if (get().id === id) set({ error: errorMessage(error) });
    }
  },

  show(invoice) {
    set({ id: invoice.id, invoice, qrDataUrl: null, error: null });
  },

  async refresh() {
    const id = get().id;
    if (!id) return;
    try {
      const invoice = await call('invoices.get', { id });
      if (get().id === id) set({ invoice, error: null });
    } catch (error) {
      if (get().id === id) set({ error: errorMessage(error) });
    }
  },

  applyChange(invoice) {
    if (get().id === invoice.id) set({ invoice });
  },
}));
