import { describe, expect, it } from 'vitest';
import { contract, IPC_EVENT_CHANNEL, methodNames } from '../shared/contract.ts';
import { createBridge, type IpcPort } from './bridge.ts';

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpc() {
  const invoked: { channel: string; args: unknown[] }[] = [];
  const listeners = new Map<string, Set<Listener>>();
  const port: IpcPort = {
    invoke: async (channel, ...args) => {
      invoked.push({ channel, args });
      return { ok: true, value: channel };
    },
    on: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  const emit = (channel: string, message: unknown) => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: 'secret' }, message);
  };
  return { port, invoked, listeners, emit };
}

describe('preload bridge', () => {
  it('exposes exactly the contract methods plus subscribe', () => {
    const bridge = createBridge(fakeIpc().port);
    expect(Object.keys(bridge).sort()).toEqual([...Object.keys(contract), 'subscribe'].sort());
  });

  it('exposes one function per method plus subscribe, and nothing else', () => {
    const bridge = createBridge(fakeIpc().port);
    expect(Object.keys(bridge).sort()).toEqual([...methodNames, 'subscribe'].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('invokes the method channel with exactly one argument', async () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc.port);
    const call = bridge['invoices.get'] as (...args: unknown[]) => Promise<unknown>;
    await expect(call({ id: 'inv_1' }, 'extra')).resolves.toEqual({ ok: true, value: 'till:invoices.get' });
    expect(ipc.invoked).toEqual([{ channel: 'till:invoices.get', args: [{ id: 'inv_1' }] }]);
  });

  it('subscribe delivers only its event, only the payload, until unsubscribed', () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc.port);
    const received: unknown[][] = [];
    const unsubscribe = bridge.subscribe('engine.status', (...args: unknown[]) => received.push(args));
    ipc.emit(IPC_EVENT_CHANNEL, { event: 'invoice.changed', payload: { invoice: {} } });
    ipc.emit(IPC_EVENT_CHANNEL, { event: 'engine.status', payload: { ok: 1 } });
    ipc.emit(IPC_EVENT_CHANNEL, 'garbage');
    ipc.emit('till:other', { event: 'engine.status', payload: { ok: 2 } });
    unsubscribe();
    unsubscribe();
    ipc.emit(IPC_EVENT_CHANNEL, { event: 'engine.status', payload: { ok: 3 } });
    expect(received).toEqual([[{ ok: 1 }]]);
    expect(ipc.listeners.get(IPC_EVENT_CHANNEL)?.size).toBe(0);
  });

  it('subscribe refuses an unknown event or a missing listener', () => {
    const bridge = createBridge(fakeIpc().port);
    const subscribe = bridge.subscribe as (event: string, listener: unknown) => () => void;
    expect(() => subscribe('till:anything', () => {})).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Unknown Till event "till:anything"]`,
    );
    expect(() => subscribe('toString', () => {})).toThrow(TypeError);
    expect(() => subscribe('engine.status', 'nope')).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: subscribe needs a listener function]`,
    );
  });
});
