import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { describe, expect, it } from 'vitest';
import { eventNames, ipcChannel, IPC_EVENT_CHANNEL, methodNames, type EventName } from '../../shared/contract.ts';
import {
  DISPLAY_WINDOW_METHODS,
  FORBIDDEN_RESULT,
  isAppMainFrame,
  isTrustedCall,
  registerIpc,
  type ContractEngine,
} from './ipc.ts';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

function fakeFrame(
  url: string,
  options: { parent?: WebFrameMain | null; destroyed?: boolean; detached?: boolean } = {},
): WebFrameMain {
  return {
    url,
    parent: options.parent ?? null,
    detached: options.detached ?? false,
    isDestroyed: () => options.destroyed ?? false,
  } as unknown as WebFrameMain;
}

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle: (channel: string, handler: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  } as unknown as IpcMain;
  return { ipcMain, handlers };
}

function fakeEngine() {
  const calls: { method: string; input: unknown }[] = [];
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const engine: ContractEngine = {
    call: async (method, input) => {
      calls.push({ method, input });
      if (method === 'app.info') throw new Error('boom');
      return { ok: true, value: { method } } as never;
    },
    subscribe: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
  const emit = (event: EventName, payload: unknown) => listeners.get(event)?.forEach((listener) => listener(payload));
  return { engine, calls, listeners, emit };
}

const event = (frame: WebFrameMain | null, senderId = 1) =>
  ({ senderFrame: frame, sender: { id: senderId } }) as unknown as IpcMainInvokeEvent;

describe('isAppMainFrame', () => {
  const top = fakeFrame('app://till/index.html');
  it('accepts the main frame on the app origin', () => {
    expect(isAppMainFrame(top, 'app://till')).toBe(true);
    expect(isAppMainFrame(fakeFrame('http://localhost:5173/#/x'), 'http://localhost:5173')).toBe(true);
  });
  it('refuses sub-frames, other origins, dead frames and no frame', () => {
    expect(isAppMainFrame(fakeFrame('app://till/index.html', { parent: top }), 'app://till')).toBe(false);
    expect(isAppMainFrame(fakeFrame('https://evil.example/'), 'app://till')).toBe(false);
    expect(isAppMainFrame(fakeFrame('app://till.evil/index.html'), 'app://till')).toBe(false);
    expect(isAppMainFrame(fakeFrame('http://localhost:5174/'), 'http://localhost:5173')).toBe(false);
    expect(isAppMainFrame(fakeFrame('about:blank'), 'app://till')).toBe(false);
    expect(isAppMainFrame(fakeFrame('app://till/', { destroyed: true }), 'app://till')).toBe(false);
    expect(isAppMainFrame(fakeFrame('app://till/', { detached: true }), 'app://till')).toBe(false);
    expect(isAppMainFrame(null, 'app://till')).toBe(false);
  });
});

describe('isTrustedCall', () => {
  const top = fakeFrame('app://till/display.html');
  it('the main window may call every method', () => {
    for (const method of methodNames) expect(isTrustedCall('main', top, 'app://till', method)).toBe(true);
  });
  it('the customer display window may call display.state and nothing else', () => {
    expect(isTrustedCall('display', top, 'app://till', 'display.state')).toBe(true);
    for (const method of ['invoices.list', 'wallet.generateMnemonic', 'display.show', 'display.pair', 'app.info'] as const)
      expect(isTrustedCall('display', top, 'app://till', method)).toBe(false);
    expect(methodNames.filter((method) => isTrustedCall('display', top, 'app://till', method))).toEqual(['display.state']);
    expect([...DISPLAY_WINDOW_METHODS]).toEqual(['display.state']);
  });
  it('a window that is not ours, or a frame off the app origin, may call nothing', () => {
    expect(isTrustedCall(undefined, top, 'app://till', 'display.state')).toBe(false);
    for (const role of ['main', 'display'] as const) {
      expect(isTrustedCall(role, fakeFrame('https://evil.example/'), 'app://till', 'display.state')).toBe(false);
      expect(isTrustedCall(role, fakeFrame('app://till/x', { parent: top }), 'app://till', 'display.state')).toBe(false);
    }
  });
});

describe('registerIpc', () => {
  const setup = () => {
    const ipc = fakeIpcMain();
    const engine = fakeEngine();
    const sent: { channel: string; message: unknown }[] = [];
    const target = {
      isDestroyed: () => false,
      send: (channel: string, message: unknown) => sent.push({ channel, message }),
    } as unknown as WebContents;
    const dispose = registerIpc(engine.engine, {
      ipcMain: ipc.ipcMain,
      // Sender id 2 is the customer display window, any other id the main window.
      isTrustedSender: (e, method) => isTrustedCall(e.sender.id === 2 ? 'display' : 'main', e.senderFrame, 'app://till', method),
      eventTargets: () => [target],
    });
    return { ...ipc, ...engine, sent, dispose };
  };

  it('registers exactly one channel per contract method', () => {
    const { handlers } = setup();
    expect([...handlers.keys()].sort()).toEqual(methodNames.map(ipcChannel).sort());
  });

  it('passes trusted calls to engine.call with the raw input', async () => {
    const { handlers, calls } = setup();
    const result = await handlers.get(ipcChannel('invoices.get'))!(event(fakeFrame('app://till/index.html')), { id: 'x' });
    expect(result).toEqual({ ok: true, value: { method: 'invoices.get' } });
    expect(calls).toEqual([{ method: 'invoices.get', input: { id: 'x' } }]);
  });

  it('answers FORBIDDEN to untrusted frames without reaching the engine', async () => {
    const { handlers, calls } = setup();
    const handler = handlers.get(ipcChannel('wallet.generateMnemonic'))!;
    const top = fakeFrame('app://till/index.html');
    for (const frame of [fakeFrame('https://evil.example/'), fakeFrame('app://till/index.html', { parent: top }), null]) {
      expect(await handler(event(frame), {})).toEqual(FORBIDDEN_RESULT);
    }
    expect(calls).toEqual([]);
  });

  it('refuses the customer display window anything but display.state, before the engine', async () => {
    const { handlers, calls } = setup();
    const frame = fakeFrame('app://till/display.html');
    expect(await handlers.get(ipcChannel('invoices.list'))!(event(frame, 2), {})).toEqual(FORBIDDEN_RESULT);
    expect(await handlers.get(ipcChannel('display.pair'))!(event(frame, 2), {})).toEqual(FORBIDDEN_RESULT);
    expect(calls).toEqual([]);
    expect(await handlers.get(ipcChannel('display.state'))!(event(frame, 2), {})).toEqual({
      ok: true,
      value: { method: 'display.state' },
    });
    expect(calls).toEqual([{ method: 'display.state', input: {} }]);
  });

  it('turns a throwing engine into an INTERNAL result instead of a rejected invoke', async () => {
    const { handlers } = setup();
    const result = await handlers.get(ipcChannel('app.info'))!(event(fakeFrame('app://till/')), {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('forwards every contract event to the targets, and stops after dispose', () => {
    const { emit, sent, dispose, handlers, listeners } = setup();
    emit('engine.status', { running: true });
    expect(sent).toEqual([{ channel: IPC_EVENT_CHANNEL, message: { event: 'engine.status', payload: { running: true } } }]);
    expect([...listeners.keys()].sort()).toEqual([...eventNames].sort());
    dispose();
    emit('engine.status', { running: false });
    expect(sent).toHaveLength(1);
    expect(handlers.size).toBe(0);
  });
});
