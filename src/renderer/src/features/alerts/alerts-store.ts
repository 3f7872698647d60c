import { create } from 'zustand';
import type { Alert } from '../../../../shared/domain.ts';
import { call, errorMessage } from '../../transport/index.ts';

interface AlertsState {
  /** Open (unacknowledged) alerts, from `alerts.changed` or a count of the first list. */
  openCount: number | null;
  alerts: Alert[];
  includeAcknowledged: boolean;
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  loadCount(): Promise<void>;
  setIncludeAcknowledged(include: boolean): void;
  setOpenCount(open: number): void;
  /** Replaces one alert as the engine returned it (e.g. after acknowledging). */
  put(alert: Alert): void;
}

const LIST_LIMIT = 200;
/** Bumped per list request so a slow answer for an older toggle state is dropped. */
let generation = 0;

export const useAlertsStore = create<AlertsState>((set, get) => ({
  openCount: null,
  alerts: [],
  includeAcknowledged: false,
  loaded: false,
  error: null,
  async load() {
    const mine = ++generation;
    const includeAcknowledged = get().includeAcknowledged;
    try {
      const alerts = await call('alerts.list', { includeAcknowledged, limit: LIST_LIMIT });
      if (mine !== generation) return;
      set({ alerts, loaded: true, error: null });
      if (!includeAcknowledged && alerts.length < LIST_LIMIT) set({ openCount: alerts.length });
    } catch (error) {
      if (mine === generation) set({ loaded: true, error: errorMessage(error) });
    }
  },
  async loadCount() {
    try {
      const open = await call('alerts.list', { limit: 500 });
      if (get().openCount === null) set({ openCount: open.length });
    } catch {
      // The counter stays hidden; the next alerts.changed event sets it.
    }
  },
  setIncludeAcknowledged(includeAcknowledged) {
    set({ includeAcknowledged });
    void get().load();
  },
  setOpenCount(openCount) {
    set({ openCount });
  },
  put(alert) {
    set((state) => ({
      alerts:
        state.includeAcknowledged || !alert.acknowledgedAt
          ? state.alerts.map((existing) => (existing.id === alert.id ? alert : existing))
          : state.alerts.filter((existing) => existing.id !== alert.id),
    }));
  },
}));
