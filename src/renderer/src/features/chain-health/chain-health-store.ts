import { create } from 'zustand';
import type { ChainHealth } from '../../../../shared/domain.ts';
import { call, errorMessage } from '../../transport/index.ts';

interface ChainHealthState {
  health: ChainHealth[];
  loaded: boolean;
  error: string | null;
  /**
   * Per chain that is catching up, the largest lag seen since it started: the progress bar's
   * 0 %. The engine reports only the current lag, so the start is remembered here.
   */
  catchUpFrom: Record<number, number>;
  load(): Promise<void>;
  /** A pushed `chains.health` snapshot replaces the whole list (the engine sends every chain each time). */
  apply(health: ChainHealth[]): void;
}

const byChainId = (a: ChainHealth, b: ChainHealth) => a.chainId - b.chainId;

function nextCatchUpFrom(previous: Record<number, number>, health: ChainHealth[]): Record<number, number> {
  const next: Record<number, number> = {};
  for (const chain of health) {
    if (chain.state !== 'catching-up' || chain.lagBlocks === null) continue;
    next[chain.chainId] = Math.max(previous[chain.chainId] ?? 0, chain.lagBlocks);
  }
  return next;
}

export const useChainHealthStore = create<ChainHealthState>((set, get) => ({
  health: [],
  loaded: false,
  error: null,
  catchUpFrom: {},
  async load() {
    try {
      get().apply(await call('chains.health', {}));
    } catch (error) {
      set({ loaded: true, error: errorMessage(error) });
    }
  },
  apply(health) {
    set((state) => ({
      health: [...health].sort(byChainId),
      catchUpFrom: nextCatchUpFrom(state.catchUpFrom, health),
      loaded: true,
      error: null,
    }));
  },
}));
