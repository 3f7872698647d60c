import { create } from 'zustand';
import type { Alert, AlertType } from '../../../../shared/domain.ts';
import type { SweepDetail, SweepPlan, SweepsOverview, SweepView } from '../../../../shared/sweeps.ts';
import { call, errorMessage } from '../../transport/index.ts';

/** The alerts the sweeper raises; the Sweeps screen shows the open ones with their remedy. */
export const sweeperAlertTypes: readonly AlertType[] = [
  'treasury_missing',
  'vault_locked',
  'gas_account_low',
  'gas_account_empty',
  'sweep_stuck',
  'sweep_reverted',
  'sweep_fee_ceiling',
  'sweep_nonce_conflict',
];

const HISTORY_SIZE = 50;
/** At most one refresh per second from pushed events; the last push in a burst is never lost. */
const REFRESH_INTERVAL_MS = 1000;

interface SweepsState {
  overview: SweepsOverview | null;
  /** The policy's view per chain (sweeps.plan): what goes by itself now and what waits, and why. */
  plans: SweepPlan[] | null;
  /** Signed and not yet final (pending, mined), with their transactions: nonce, fees, attempts. */
  inFlight: SweepDetail[];
  /** The latest sweeps that are done: final, failed or dropped. */
  history: SweepView[];
  alerts: Alert[];
  loaded: boolean;
  error: string | null;
  planError: string | null;
  /** True while the Sweeps screen is shown: pushed changes refresh only what someone is looking at. */
  active: boolean;
  setActive(active: boolean): void;
  load(): Promise<void>;
  /** Everything shown, again: after an action, or (throttled) on `sweeps.changed` / `alerts.changed`. */
  refresh(): void;
}

/** Bumped per load, so an older answer never replaces a newer one. */
let generation = 0;
let lastRefresh = 0;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

async function loadInFlight(): Promise<SweepDetail[]> {
  const [pending, mined] = await Promise.all([
    call('sweeps.list', { status: 'pending', limit: 100 }),
    call('sweeps.list', { status: 'mined', limit: 100 }),
  ]);
  const open = [...pending.items, ...mined.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return Promise.all(open.map((sweep) => call('sweeps.get', { id: sweep.id })));
}

export const useSweepsStore = create<SweepsState>((set, get) => ({
  overview: null,
  plans: null,
  inFlight: [],
  history: [],
  alerts: [],
  loaded: false,
  error: null,
  planError: null,
  active: false,

  setActive(active) {
    set({ active });
  },

  async load() {
    const mine = ++generation;
    // The plan reads fees from the chain; it must not hold up the rest of the screen.
    void call('sweeps.plan', {}).then(
      (plans) => mine === generation && set({ plans, planError: null }),
      (error: unknown) => mine === generation && set({ planError: errorMessage(error) }),
    );
    try {
      const [overview, inFlight, recent, alerts] = await Promise.all([
        call('sweeps.overview', {}),
        loadInFlight(),
        call('sweeps.list', { limit: HISTORY_SIZE }),
        call('alerts.list', { limit: 200 }),
      ]);
      if (mine !== generation) return;
      set({
        overview,
        inFlight,
        history: recent.items.filter((sweep) => sweep.status !== 'pending' && sweep.status !== 'mined'),
        alerts: alerts.filter((alert) => sweeperAlertTypes.includes(alert.type)),
        loaded: true,
        error: null,
      });
    } catch (error) {
      if (mine === generation) set({ loaded: true, error: errorMessage(error) });
    }
  },

  refresh() {
    if (get().active) void get().load();
  },
}));

/** For `sweeps.changed` and `alerts.changed`: refreshes the open screen at most once a second, always after the last push. */
export function requestSweepsRefresh(): void {
  if (!useSweepsStore.getState().active || refreshTimer) return;
  const wait = Math.max(0, lastRefresh + REFRESH_INTERVAL_MS - Date.now());
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined;
    lastRefresh = Date.now();
    useSweepsStore.getState().refresh();
  }, wait);
}
