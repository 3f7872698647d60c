import { create } from 'zustand';
import type { BackupsOverview } from '../../../../shared/backups.ts';
import { call, errorMessage } from '../../transport/index.ts';

interface BackupsState {
  overview: BackupsOverview | null;
  error: string | null;
  load(): Promise<void>;
  /** "Back up now"; answers with the new backup's file name, or throws. */
  backUpNow(): Promise<string>;
  setKeep(keep: number): Promise<void>;
}

export const useBackupsStore = create<BackupsState>((set) => ({
  overview: null,
  error: null,
  async load() {
    try {
      set({ overview: await call('backups.overview', {}), error: null });
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  },
  async backUpNow() {
    const info = await call('backups.create', {});
    // The new file, and the oldest ones pruned beyond keep: the list is read again, not patched.
    set({ overview: await call('backups.overview', {}), error: null });
    return info.name;
  },
  async setKeep(keep) {
    set({ overview: await call('backups.setKeep', { keep }), error: null });
  },
}));
