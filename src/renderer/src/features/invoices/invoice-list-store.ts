import { create } from 'zustand';
import type { Invoice, InvoiceStatus, ListInvoicesInput } from '../../../../shared/domain.ts';
import { call, errorMessage } from '../../transport/index.ts';

export const PAGE_SIZE = 200;

export interface InvoiceFilters {
  status: InvoiceStatus | null;
  chainId: number | null;
  search: string;
}

interface InvoiceListState {
  filters: InvoiceFilters;
  /** Loaded rows, newest first, in the order the engine pages them. */
  rows: Invoice[];
  nextCursor: string | null;
  /** True once the first page for the current filters has arrived. */
  loaded: boolean;
  loading: boolean;
  error: string | null;
  setFilters(patch: Partial<InvoiceFilters>): void;
  reload(): Promise<void>;
  loadMore(): Promise<void>;
  applyChange(invoice: Invoice): void;
}

/** Bumped on every filter change so a late page for old filters is dropped. */
let generation = 0;

function listInput(filters: InvoiceFilters, cursor: string | null): ListInvoicesInput {
  const input: ListInvoicesInput = { limit: PAGE_SIZE };
  if (filters.status) input.status = filters.status;
  if (filters.chainId !== null) input.chainId = filters.chainId;
  const search = filters.search.trim();
  if (search) input.search = search;
  if (cursor) input.cursor = cursor;
  return input;
}

function matchesFilters(invoice: Invoice, filters: InvoiceFilters): boolean {
  if (filters.status && invoice.status !== filters.status) return false;
  if (filters.chainId !== null && invoice.chainId !== filters.chainId) return false;
  const search = filters.search.trim().toLowerCase();
  if (search) {
    const inId = invoice.id.toLowerCase().includes(search);
    const inOrder = invoice.orderId?.toLowerCase().includes(search) ?? false;
    if (!inId && !inOrder) return false;
  }
  return true;
}

/** Index at which `invoice` belongs in rows sorted by createdAt, newest first. */
function insertionIndex(rows: Invoice[], invoice: Invoice): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (rows[mid]!.createdAt > invoice.createdAt) low = mid + 1;
    else high = mid;
  }
  return low;
}

export const useInvoiceListStore = create<InvoiceListState>((set, get) => ({
  filters: { status: null, chainId: null, search: '' },
  rows: [],
  nextCursor: null,
  loaded: false,
  loading: false,
  error: null,

  setFilters(patch) {
    set((state) => ({ filters: { ...state.filters, ...patch } }));
    void get().reload();
  },

  async reload() {
    const mine = ++generation;
    set({ loading: true, error: null });
    try {
      const page = await call('invoices.list', listInput(get().filters, null));
      if (mine !== generation) return;
      set({ rows: page.items, nextCursor: page.nextCursor, loaded: true, loading: false });
    } catch (error) {
      if (mine !== generation) return;
      set({ rows: [], nextCursor: null, loaded: true, loading: false, error: errorMessage(error) });
    }
  },

  async loadMore() {
    const { nextCursor, loading, filters } = get();
    if (!nextCursor || loading) return;
    const mine = generation;
    set({ loading: true, error: null });
    try {
      const page = await call('invoices.list', listInput(filters, nextCursor));
      if (mine !== generation) return;
      set((state) => {
        // A live insert may already hold some of this page; keep one copy of each.
        const seen = new Set(state.rows.slice(-PAGE_SIZE * 2).map((row) => row.id));
        const fresh = page.items.filter((item) => !seen.has(item.id));
        return { rows: state.rows.concat(fresh), nextCursor: page.nextCursor, loading: false };
      });
    } catch (error) {
      if (mine !== generation) return;
      set({ loading: false, error: errorMessage(error) });
    }
  },

  applyChange(invoice) {
    const { rows, filters, nextCursor, loaded } = get();
    if (!loaded) return;
    const index = rows.findIndex((row) => row.id === invoice.id);
    if (index >= 0) {
      const next = rows.slice();
      next[index] = invoice;
      set({ rows: next });
      return;
    }
    if (!matchesFilters(invoice, filters)) return;
    const at = insertionIndex(rows, invoice);
    // Past the loaded pages: the row arrives with its page when the user scrolls there.
    if (at === rows.length && nextCursor !== null) return;
    const next = rows.slice();
    next.splice(at, 0, invoice);
    set({ rows: next });
  },
}));
