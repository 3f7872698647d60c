import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import {
  eventNames,
  ipcChannel,
  IPC_EVENT_CHANNEL,
  methodNames,
  type EventName,
  type EventPayloads,
  type MethodName,
  type MethodOutput,
  type Result,
} from '../../shared/contract.ts';
import { originOf } from './origin.ts';

/** The part of the engine IPC needs; `Engine` from engine.ts satisfies it structurally. */
export interface ContractEngine {
  call<M extends MethodName>(method: M, input: unknown): Promise<Result<MethodOutput<M>>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
}

export interface IpcOptions {
  ipcMain: IpcMain;
  /** Whether this invoke comes from a frame allowed to call this method (see isTrustedCall). */
  isTrustedSender(event: IpcMainInvokeEvent, method: MethodName): boolean;
  /** The webContents that receive engine events: our windows whose main frame shows the app. */
  eventTargets(): WebContents[];
  log?(message: string, fields: Record<string, unknown>): void;
}

/** What an invoke from anywhere but our own UI gets back. */
export const FORBIDDEN_RESULT = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'This window is not allowed to talk to Till.' },
} as const satisfies Result<never>;

const INTERNAL_RESULT = {
  ok: false,
  error: { code: 'INTERNAL', message: 'Something went wrong inside Till; the log file has the details.' },
} as const satisfies Result<never>;

/**
 * A frame may use the contract only when it is the main frame (not an iframe, not a detached
 * or destroyed frame) and its document is on the app's own origin.
 */
export function isAppMainFrame(frame: WebFrameMain | null | undefined, appOrigin: string): boolean {
  if (!frame || frame.isDestroyed() || frame.detached) return false;
  if (frame.parent !== null) return false;
  return originOf(frame.url) === appOrigin;
}

/** Which of our windows a webContents is: the merchant's main window or the customer display. */
export type WindowRole = 'main' | 'display';

/**
 * All the customer display window may call: it faces the customer, so it reads what is on
 * display and nothing else of Till (no invoices, wallet, settings), whatever page it shows.
 */
export const DISPLAY_WINDOW_METHODS: ReadonlySet<MethodName> = new Set<MethodName>(['display.state']);

/**
 * The trust rule for one invoke: the sender is one of our windows (it has a role), the frame is
 * the app's main frame, and the method is one that window's role may call.
 */
export function isTrustedCall(
  role: WindowRole | undefined,
  frame: WebFrameMain | null | undefined,
  appOrigin: string,
  method: MethodName,
): boolean {
  if (role === undefined || !isAppMainFrame(frame, appOrigin)) return false;
  return role === 'main' || DISPLAY_WINDOW_METHODS.has(method);
}

/**
 * One `ipcMain.handle` per contract method, on its own channel; there is no generic channel.
 * Every call checks its sender frame first, then goes to `engine.call`, which validates the
 * input against the method's zod schema. Results cross as data and a handler never throws
 * (a thrown error would reach the renderer as an opaque "Error invoking remote method").
 *
 * Returns a function that removes the handlers and event subscriptions.
 */
export function registerIpc(engine: ContractEngine, options: IpcOptions): () => void {
  const { ipcMain } = options;
  for (const method of methodNames) {
    ipcMain.handle(ipcChannel(method), async (event, input: unknown) => {
      if (!options.isTrustedSender(event, method)) {
        options.log?.('refused IPC from an untrusted frame or window', { method, url: event.senderFrame?.url ?? null });
        return FORBIDDEN_RESULT;
      }
      try {
        return await engine.call(method, input);
      } catch (error) {
        options.log?.('engine.call threw', { method, error: String(error) });
        return INTERNAL_RESULT;
      }
    });
  }

  const unsubscribes = eventNames.map((name) =>
    engine.subscribe(name, (payload) => {
      for (const contents of options.eventTargets()) {
        if (contents.isDestroyed()) continue;
        contents.send(IPC_EVENT_CHANNEL, { event: name, payload });
      }
    }),
  );

  return () => {
    for (const method of methodNames) ipcMain.removeHandler(ipcChannel(method));
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
