import type { TillBridge } from '../../../shared/contract.ts';
import { useConnectionStore } from './connection-store.ts';

declare global {
  interface Window {
    /** Exposed by the preload (src/preload) in the desktop app; absent in a browser. */
    till?: TillBridge;
  }
}

export function electronBridge(): TillBridge | null {
  const bridge = window.till;
  if (!bridge || typeof bridge.subscribe !== 'function') return null;
  // IPC events cannot drop the way a network stream can.
  useConnectionStore.setState({ host: 'desktop', events: 'open' });
  return bridge;
}
