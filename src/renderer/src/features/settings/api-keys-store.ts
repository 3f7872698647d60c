import { create } from 'zustand';
import type { ApiKeyInfo } from '../../../../shared/domain.ts';
import { call, errorMessage } from '../../transport/index.ts';

interface ApiKeysState {
  keys: ApiKeyInfo[];
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  put(key: ApiKeyInfo): void;
}

export const useApiKeysStore = create<ApiKeysState>((set) => ({
  keys: [],
  loaded: false,
  error: null,
  async load() {
    try {
      set({ keys: await call('apiKeys.list', {}), loaded: true, error: null });
    } catch (error) {
      set({ loaded: true, error: errorMessage(error) });
    }
  },
  put(key) {
    set((state) => {
      const index = state.keys.findIndex((existing) => existing.id === key.id);
      if (index < 0) return { keys: [key, ...state.keys] };
      const keys = state.keys.slice();
      keys[index] = key;
      return { keys };
    });
  },
}));
