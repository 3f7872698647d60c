/**
 * The object the preload exposes as `window.till`: exactly one function per contract method
 * plus `subscribe`. Built from a narrow IPC port (not `ipcRenderer` itself) so it can be tested
 * in plain Node, and so nothing else of ipcRenderer can leak into the page. Names come from the
 * zod-free shared/contract-names.ts, keeping the sandboxed preload small.
 */
import type { EventName, EventPayloads, TillBridge } from '../shared/contract.ts';
import { IPC_EVENT_CHANNEL, ipcChannel, isEventName, methodNames } from '../shared/contract-names.ts';

/** The slice of `ipcRenderer` the bridge uses. */
export interface IpcPort {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function isEventMessage(value: unknown): value is { event: string; payload: unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { event?: unknown }).event === 'string';
}

export function createBridge(ipc: IpcPort): TillBridge {
  const bridge: Record<string, unknown> = {};
  for (const name of methodNames) {
    // Exactly one argument crosses: extra arguments a page passes are dropped here.
    bridge[name] = (input: unknown) => ipc.invoke(ipcChannel(name), input);
  }

  bridge.subscribe = <E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): (() => void) => {
    if (!isEventName(event)) throw new TypeError(`Unknown Till event "${String(event)}"`);
    if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function');
    // The IPC event object (sender, ports, …) never reaches the page: only the payload does.
    const onMessage = (_event: unknown, message: unknown): void => {
      if (isEventMessage(message) && message.event === event) listener(message.payload as EventPayloads[E]);
    };
    ipc.on(IPC_EVENT_CHANNEL, onMessage);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.removeListener(IPC_EVENT_CHANNEL, onMessage);
    };
  };

  return Object.freeze(bridge) as TillBridge;
}
