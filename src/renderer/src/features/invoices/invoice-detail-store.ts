import { create } from 'zustand';
import type { InvoiceEventSummary } from '../../../../shared/contract.ts';
import type { Invoice } from '../../../../shared/domain.ts';
import { call, errorMessage } from '../../transport/index.ts';

interface InvoiceDetailState {
  id: string | null;
  invoice: Invoice | null;
  /** data: URL of the engine's QR SVG. */
  qrDataUrl: string | null;
  error: string | null;
  /** The invoice's event history (invoices.events), oldest first; null until loaded. */
  events: InvoiceEventSummary[] | null;
  eventsError: string | null;
  open(id: string): Promise<void>;
  /** Seeds the view with an invoice we already hold (e.g. just created). */
  show(invoice: Invoice): void;
  refresh(): Promise<void>;
  loadEvents(): Promise<void>;
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

/** Bumped per events request: a change can arrive while an older request is in flight. */
let eventsGeneration = 0;

export const useInvoiceDetailStore = create<InvoiceDetailState>((set, get) => ({
  id: null,
  invoice: null,
  qrDataUrl: null,
  error: null,
  events: null,
  eventsError: null,

  async open(id) {
    const current = get();
    if (current.id === id && current.invoice) {
      if (!current.qrDataUrl) void loadQr(id);
      if (!current.events) void get().loadEvents();
      return;
    }
    set({ id, invoice: null, qrDataUrl: null, error: null, events: null, eventsError: null });
    void loadQr(id);
    void get().loadEvents();
    try {
      const invoice = await call('invoices.get', { id });
      if (get().id === id) set({ invoice });
    } catch (error) {
      if (get().id === id) set({ error: errorMessage(error) });
    }
  },

  show(invoice) {
    set({ id: invoice.id, invoice, qrDataUrl: null, error: null, events: null, eventsError: null });
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
    void get().loadEvents();
  },

  async loadEvents() {
    const id = get().id;
    if (!id) return;
    const mine = ++eventsGeneration;
    try {
      const events = await call('invoices.events', { id });
      if (mine === eventsGeneration && get().id === id) set({ events, eventsError: null });
    } catch (error) {
      if (mine === eventsGeneration && get().id === id) set({ eventsError: errorMessage(error) });
    }
  },

  applyChange(invoice) {
    if (get().id !== invoice.id) return;
    set({ invoice });
    // The change came with new events (detected, confirmed, …): fetch the history again.
    void get().loadEvents();
  },
}));
