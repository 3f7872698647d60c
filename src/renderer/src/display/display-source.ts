/**
 * Where the customer display reads what is on display. In the desktop app's display window
 * the preload bridge is there: display.state over IPC (the main process lets that window call
 * nothing else), and there is no pairing. In a browser (a tablet paired with till serve) it is
 * /display/state.json with the paired session cookie; a 401 means not paired yet.
 */
import type { TillBridge } from '../../../shared/contract.ts';
import type { DisplayState } from '../../../shared/display.ts';

/** One poll's outcome; 'retry' keeps the last picture (the counter restarting, Wi-Fi). */
export type DisplayRead = { kind: 'state'; state: DisplayState } | { kind: 'unpaired' } | { kind: 'retry' };

export interface DisplaySource {
  host: 'desktop' | 'browser';
  read(): Promise<DisplayRead>;
}

type Fetch = (url: string, init: RequestInit) => Promise<Pick<Response, 'ok' | 'status' | 'json'>>;

export function chooseDisplaySource(till: Pick<TillBridge, 'display.state'> | undefined, fetchState: Fetch): DisplaySource {
  if (till)
    return {
      host: 'desktop',
      read: async () => {
        const result = await till['display.state']({});
        if (!result.ok) return { kind: 'retry' };
        const { shopName, invoice } = result.value;
        return { kind: 'state', state: { shopName, invoice } };
      },
    };
  return {
    host: 'browser',
    read: async () => {
      const response = await fetchState('/display/state.json', { cache: 'no-store', credentials: 'same-origin' });
      if (response.status === 401) return { kind: 'unpaired' };
      if (!response.ok) return { kind: 'retry' };
      return { kind: 'state', state: (await response.json()) as DisplayState };
    },
  };
}
