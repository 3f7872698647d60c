import { create } from 'zustand';
import type { DoctorReport } from '../../../../shared/doctor.ts';
import { call, errorMessage } from '../../transport/index.ts';

interface DoctorState {
  /** The last report, kept while the app runs so leaving the screen does not lose it. */
  report: DoctorReport | null;
  running: boolean;
  error: string | null;
  run(): Promise<void>;
}

export const useDoctorStore = create<DoctorState>((set, get) => ({
  report: null,
  running: false,
  error: null,
  async run() {
    if (get().running) return;
    set({ running: true, error: null });
    try {
      set({ report: await call('doctor.run', {}), running: false });
    } catch (error) {
      set({ error: errorMessage(error), running: false });
    }
  },
}));
