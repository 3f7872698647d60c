import { create } from 'zustand';
import type { ChainPreset } from '../../../../shared/chain-presets.ts';
import type { Chain } from '../../../../shared/domain.ts';
import { call, errorMessage } from '../../transport/index.ts';

interface ChainsState {
  chains: Chain[];
  presets: ChainPreset[];
  loaded: boolean;
  loadError: string | null;
  load(): Promise<void>;
  loadPresets(): Promise<void>;
  /** Replaces (or adds) one chain as the engine returned it. */
  put(chain: Chain): void;
  drop(chainId: number): void;
}

const byChainId = (a: Chain, b: Chain) => a.chainId - b.chainId;

export const useChainsStore = create<ChainsState>((set, get) => ({
  chains: [],
  presets: [],
  loaded: false,
  loadError: null,
  async load() {
    try {
      const chains = await call('chains.list', {});
      set({ chains: [...chains].sort(byChainId), loaded: true, loadError: null });
    } catch (error) {
      set({ loaded: true, loadError: errorMessage(error) });
    }
  },
  async loadPresets() {
    if (get().presets.length > 0) return;
    try {
      set({ presets: await call('chains.presets', {}) });
    } catch (error) {
      set({ loadError: errorMessage(error) });
    }
  },
  put(chain) {
    set((state) => ({
      chains: [...state.chains.filter((c) => c.chainId !== chain.chainId), chain].sort(byChainId),
    }));
  },
  drop(chainId) {
    set((state) => ({ chains: state.chains.filter((c) => c.chainId !== chainId) }));
  },
}));

/** Chain name by id, for lists that only carry chainId. */
export function chainName(chains: Chain[], chainId: number): string {
  return chains.find((chain) => chain.chainId === chainId)?.name ?? `Chain ${chainId}`;
}
