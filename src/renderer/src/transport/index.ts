/**
 * The UI's only way to the engine. In the desktop app the preload exposes `window.till`;
 * in a browser (`till serve`) the same contract runs over HTTP + server-sent events.
 */
import type {
  EventName,
  EventPayloads,
  MethodInput,
  MethodName,
  MethodOutput,
  Result,
  TillBridge,
} from '../../../shared/contract.ts';
import { BridgeError } from './bridge-error.ts';
import { electronBridge } from './electron-bridge.ts';
import { httpBridge } from './http-bridge.ts';

export { BridgeError, errorMessage } from './bridge-error.ts';
export { useConnectionStore } from './connection-store.ts';

const bridge: TillBridge = electronBridge() ?? httpBridge();

/** Calls a contract method and returns its Result as data. */
export function request<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>> {
  const fn = bridge[method] as unknown as (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>>;
  return fn(input);
}

/** Calls a contract method and unwraps its Result; a failure throws a BridgeError carrying code and message. */
export async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await request(method, input);
  if (!result.ok) throw new BridgeError(result.error);
  return result.value;
}

export function subscribe<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
  return bridge.subscribe(event, listener);
}
