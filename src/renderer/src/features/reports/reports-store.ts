import { create } from 'zustand';
import type { ReportPeriod, ReportSummary } from '../../../../shared/reports.ts';
import { call, errorMessage } from '../../transport/index.ts';
import { presetPeriod, type PeriodPreset } from './report-periods.ts';

interface ReportsState {
  preset: PeriodPreset;
  /** The period asked for: the preset's days, or the custom from/to as typed. */
  period: ReportPeriod;
  summary: ReportSummary | null;
  loading: boolean;
  error: string | null;
  /** True while the Reports screen is shown: pushed changes refresh only what someone is looking at. */
  active: boolean;
  setActive(active: boolean): void;
  choosePreset(preset: PeriodPreset): void;
  setCustom(period: Partial<ReportPeriod>): void;
  load(): Promise<void>;
}

/** Bumped per load, so an older answer never replaces a newer one. */
let generation = 0;

export const useReportsStore = create<ReportsState>((set, get) => ({
  preset: 'this-month',
  period: presetPeriod('this-month', new Date()),
  summary: null,
  loading: false,
  error: null,
  active: false,

  setActive(active) {
    set({ active });
  },

  choosePreset(preset) {
    // Custom starts from the period shown, so switching to it changes nothing until a day is edited.
    set({ preset, period: preset === 'custom' ? get().period : presetPeriod(preset, new Date()) });
    void get().load();
  },

  setCustom(period) {
    set({ preset: 'custom', period: { ...get().period, ...period } });
    void get().load();
  },

  async load() {
    const mine = ++generation;
    const { period } = get();
    set({ loading: true });
    try {
      const summary = await call('reports.summary', period);
      if (mine === generation) set({ summary, error: null, loading: false });
    } catch (error) {
      // The engine says what is wrong with the period (an impossible day, from after to).
      if (mine === generation) set({ summary: null, error: errorMessage(error), loading: false });
    }
  },
}));

let refreshTimer: ReturnType<typeof setTimeout> | undefined;
/** A payment or sweep changed: read the summary again (at most once a second) if the screen is open. */
export function requestReportsRefresh(): void {
  if (!useReportsStore.getState().active || refreshTimer) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined;
    if (useReportsStore.getState().active) void useReportsStore.getState().load();
  }, 1000);
}
