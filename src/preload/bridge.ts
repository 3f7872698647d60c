/**
 * The object the preload exposes as `window.till`: exactly one function per contract method
 * plus `subscribe`. Built from a narrow IPC port (not `ipcRenderer` itself) so it can be tested
 * in plain Node, and so nothing else of ipcRenderer can leak into the page.
 *
 * Only *types* come from shared/contract.ts. Its runtime values (methodNames, ipcChannel, …)
 * would pull zod and every schema into the preload (~185 kB evaluated on each page load) just
 * for a list of names. The names are listed here instead; `satisfies Record<MethodName, true>`
 * makes the compiler reject a missing or an extra method, and bridge.test.ts checks the list and
 * the channel format against the contract's runtime values.
 */
import type { EventName, EventPayloads, MethodName, TillBridge } from '../shared/contract.ts';

const METHODS = {
  'app.info': true,
  'engine.status': true,
  'wallet.status': true,
  'wallet.generateMnemonic': true,
  'wallet.create': true,
  'wallet.import': true,
  'wallet.setTreasury': true,
  'chains.list': true,
  'chains.presets': true,
  'chains.save': true,
  'chains.setEnabled': true,
  'chains.remove': true,
  'tokens.add': true,
  'tokens.remove': true,
  'invoices.create': true,
  'invoices.get': true,
  'invoices.list': true,
  'invoices.qrSvg': true,
  'apiKeys.list': true,
  'apiKeys.create': true,
  'apiKeys.revoke': true,
} as const satisfies Record<MethodName, true>;

const EVENTS = {
  'invoice.changed': true,
  'engine.status': true,
} as const satisfies Record<EventName, true>;

export const bridgeMethodNames = Object.keys(METHODS) as MethodName[];
export const bridgeEventNames = Object.keys(EVENTS) as EventName[];

/** Same format as `ipcChannel` / `IPC_EVENT_CHANNEL` in shared/contract.ts (checked by test). */
export const methodChannel = (name: MethodName): string => `till:${name}`;
export const EVENT_CHANNEL = 'till:event';

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
  for (const name of bridgeMethodNames) {
    // Exactly one argument crosses: extra arguments a page passes are dropped here.
    bridge[name] = (input: unknown) => ipc.invoke(methodChannel(name), input);
  }

  bridge.subscribe = <E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): (() => void) => {
    if (!Object.hasOwn(EVENTS, event)) throw new TypeError(`Unknown Till event "${String(event)}"`);
    if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function');
    // The IPC event object (sender, ports, …) never reaches the page: only the payload does.
    const onMessage = (_event: unknown, message: unknown): void => {
      if (isEventMessage(message) && message.event === event) listener(message.payload as EventPayloads[E]);
    };
    ipc.on(EVENT_CHANNEL, onMessage);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.removeListener(EVENT_CHANNEL, onMessage);
    };
  };

  return Object.freeze(bridge) as TillBridge;
}
