import { create } from 'zustand';
import type {
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookEventType,
} from '../../../../shared/webhooks.ts';
import { call, errorMessage } from '../../transport/index.ts';

export interface DeliveryFilters {
  status: WebhookDeliveryStatus | null;
  eventType: WebhookEventType | null;
  /** Exact invoice id; empty for all. */
  invoiceId: string;
  endpointId: string | null;
}

interface WebhooksState {
  endpoints: WebhookEndpoint[];
  endpointsLoaded: boolean;
  endpointsError: string | null;
  filters: DeliveryFilters;
  deliveries: WebhookDelivery[];
  deliveriesLoaded: boolean;
  deliveriesError: string | null;
  nextCursor: string | null;
  loadingMore: boolean;
  /** The delivery whose detail dialog is open, and its detail once loaded. */
  openId: string | null;
  detail: WebhookDeliveryDetail | null;
  detailError: string | null;
  /** True while the Webhooks screen is shown: pushed changes refresh only what someone is looking at. */
  active: boolean;
  setActive(active: boolean): void;
  loadEndpoints(): Promise<void>;
  /** Reloads the log from the top: as many rows as are shown (at least one page), or just the first page. */
  loadDeliveries(firstPageOnly?: boolean): Promise<void>;
  loadMore(): Promise<void>;
  setFilters(patch: Partial<DeliveryFilters>): void;
  openDelivery(id: string | null): void;
  loadDetail(): Promise<void>;
  putEndpoint(endpoint: WebhookEndpoint): void;
  dropEndpoint(id: string): void;
  /** Everything shown, again: after an action, or (throttled) on `webhooks.changed`. */
  refresh(): void;
}

export const PAGE_SIZE = 50;
const MAX_PAGE = 500;
/** At most one refresh per second from pushed events; the last push in a burst is never lost. */
const REFRESH_INTERVAL_MS = 1000;

/** Bumped per log request, so an answer for older filters never replaces a newer one. */
let deliveriesGeneration = 0;
let lastRefresh = 0;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

function listInput(filters: DeliveryFilters) {
  return {
    status: filters.status ?? undefined,
    eventType: filters.eventType ?? undefined,
    invoiceId: filters.invoiceId.trim() || undefined,
    endpointId: filters.endpointId ?? undefined,
  };
}

export const useWebhooksStore = create<WebhooksState>((set, get) => ({
  endpoints: [],
  endpointsLoaded: false,
  endpointsError: null,
  filters: { status: null, eventType: null, invoiceId: '', endpointId: null },
  deliveries: [],
  deliveriesLoaded: false,
  deliveriesError: null,
  nextCursor: null,
  loadingMore: false,
  openId: null,
  detail: null,
  detailError: null,
  active: false,

  setActive(active) {
    set({ active });
  },

  async loadEndpoints() {
    try {
      set({ endpoints: await call('webhooks.list', {}), endpointsLoaded: true, endpointsError: null });
    } catch (error) {
      set({ endpointsLoaded: true, endpointsError: errorMessage(error) });
    }
  },

  async loadDeliveries(firstPageOnly = false) {
    const mine = ++deliveriesGeneration;
    const limit = firstPageOnly ? PAGE_SIZE : Math.min(MAX_PAGE, Math.max(PAGE_SIZE, get().deliveries.length));
    try {
      const page = await call('webhooks.deliveries', { ...listInput(get().filters), limit });
      if (mine !== deliveriesGeneration) return;
      set({ deliveries: page.items, nextCursor: page.nextCursor, deliveriesLoaded: true, deliveriesError: null });
    } catch (error) {
      if (mine === deliveriesGeneration) set({ deliveriesLoaded: true, deliveriesError: errorMessage(error) });
    }
  },

  async loadMore() {
    const { nextCursor, loadingMore, filters } = get();
    if (!nextCursor || loadingMore) return;
    const mine = deliveriesGeneration;
    set({ loadingMore: true });
    try {
      const page = await call('webhooks.deliveries', { ...listInput(filters), limit: PAGE_SIZE, cursor: nextCursor });
      if (mine !== deliveriesGeneration) return;
      set((state) => ({ deliveries: [...state.deliveries, ...page.items], nextCursor: page.nextCursor, deliveriesError: null }));
    } catch (error) {
      if (mine === deliveriesGeneration) set({ deliveriesError: errorMessage(error) });
    } finally {
      set({ loadingMore: false });
    }
  },

  setFilters(patch) {
    // The old rows stay until the new ones arrive, so the table does not collapse and jump back.
    set((state) => ({ filters: { ...state.filters, ...patch } }));
    void get().loadDeliveries(true);
  },

  openDelivery(id) {
    set({ openId: id, detail: null, detailError: null });
    if (id) void get().loadDetail();
  },

  async loadDetail() {
    const id = get().openId;
    if (!id) return;
    try {
      const detail = await call('webhooks.delivery', { id });
      if (get().openId === id) set({ detail, detailError: null });
    } catch (error) {
      if (get().openId === id) set({ detailError: errorMessage(error) });
    }
  },

  putEndpoint(endpoint) {
    set((state) => {
      const index = state.endpoints.findIndex((existing) => existing.id === endpoint.id);
      if (index < 0) return { endpoints: [...state.endpoints, endpoint] };
      const endpoints = state.endpoints.slice();
      endpoints[index] = endpoint;
      return { endpoints };
    });
  },

  dropEndpoint(id) {
    set((state) => ({
      endpoints: state.endpoints.filter((endpoint) => endpoint.id !== id),
      filters: state.filters.endpointId === id ? { ...state.filters, endpointId: null } : state.filters,
    }));
    void get().loadDeliveries(true);
  },

  refresh() {
    if (!get().active) return;
    void get().loadEndpoints();
    void get().loadDeliveries();
    if (get().openId) void get().loadDetail();
  },
}));

/** For `webhooks.changed`: refreshes the open screen at most once a second, always after the last push. */
export function requestWebhooksRefresh(): void {
  if (!useWebhooksStore.getState().active || refreshTimer) return;
  const wait = Math.max(0, lastRefresh + REFRESH_INTERVAL_MS - Date.now());
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined;
    lastRefresh = Date.now();
    useWebhooksStore.getState().refresh();
  }, wait);
}
