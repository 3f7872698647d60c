import { create } from 'zustand';

export type EventsState = 'connecting' | 'open' | 'reconnecting';

interface ConnectionState {
  host: 'desktop' | 'browser';
  /** Browser transport only: the session cookie was refused (HTTP 401). */
  sessionExpired: boolean;
  events: EventsState;
  /** Increments each time the event stream comes back after a drop, so screens can refetch what they may have missed. */
  reconnects: number;
}

export const useConnectionStore = create<ConnectionState>(() => ({
  host: 'desktop',
  sessionExpired: false,
  events: 'connecting',
  reconnects: 0,
}));
