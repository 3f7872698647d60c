import type { EventName, EventPayloads, MethodName, Result, TillBridge } from '../../../shared/contract.ts';
import { eventNames, HTTP_EVENTS_ROUTE, httpRoute, methodNames } from '../../../shared/contract-names.ts';
import { UNREACHABLE_MESSAGE } from './bridge-error.ts';
import { useConnectionStore } from './connection-store.ts';

type Listener = (payload: unknown) => void;

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  const ok = (value as { ok: unknown }).ok;
  if (ok === true) return 'value' in value;
  if (ok === false) {
    const error = (value as { error?: unknown }).error;
    return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
  }
  return false;
}

function markSessionExpired(): void {
  useConnectionStore.setState({ sessionExpired: true });
}

async function post(method: MethodName, input: unknown): Promise<Result<unknown>> {
  let response: Response;
  try {
    response = await fetch(httpRoute(method), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(input ?? {}),
    });
  } catch {
    return { ok: false, error: { code: 'INTERNAL', message: UNREACHABLE_MESSAGE } };
  }
  if (response.status === 401) markSessionExpired();
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (isResult(body)) return body;
  if (response.status === 401) {
    return { ok: false, error: { code: 'UNAUTHORIZED', message: 'Your session has expired.' } };
  }
  return { ok: false, error: { code: 'INTERNAL', message: UNREACHABLE_MESSAGE } };
}

/**
 * One EventSource for all subscribers, opened on the first subscription. EventSource retries
 * by itself after a network drop; it gives up for good on an HTTP error (e.g. 401), so then we
 * probe with a cheap call (which flags an expired session) and reopen after a pause.
 */
function createEventStream() {
  const listeners = new Map<EventName, Set<Listener>>();
  let source: EventSource | null = null;
  let everOpened = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const open = (): void => {
    source = new EventSource(HTTP_EVENTS_ROUTE, { withCredentials: true });
    source.onopen = () => {
      const wasReconnect = everOpened;
      everOpened = true;
      useConnectionStore.setState((state) => ({
        events: 'open',
        reconnects: wasReconnect ? state.reconnects + 1 : state.reconnects,
      }));
    };
    source.onerror = () => {
      useConnectionStore.setState({ events: 'reconnecting' });
      if (source?.readyState === EventSource.CLOSED) {
        source = null;
        void post('app.info', {});
        clearTimeout(retryTimer);
        retryTimer = setTimeout(() => {
          if (!useConnectionStore.getState().sessionExpired) open();
        }, 3000);
      }
    };
    for (const name of eventNames) {
      source.addEventListener(name, (message) => {
        let payload: unknown;
        try {
          payload = JSON.parse((message as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const listener of listeners.get(name) ?? []) listener(payload);
      });
    }
  };

  return function subscribe(event: EventName, listener: Listener): () => void {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    if (!source && retryTimer === undefined) open();
    return () => {
      set.delete(listener);
    };
  };
}

export function httpBridge(): TillBridge {
  useConnectionStore.setState({ host: 'browser' });
  const subscribe = createEventStream();
  const bridge: Record<string, unknown> = {
    subscribe<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) {
      return subscribe(event, listener as Listener);
    },
  };
  for (const name of methodNames) bridge[name] = (input: unknown) => post(name, input);
  return bridge as TillBridge;
}
