/**
 * The contract's method and event names and HTTP routes, as plain values.
 *
 * Only *types* come from shared/contract.ts: its runtime values would pull zod and every schema
 * into the renderer bundle just for a list of names (the preload does the same, see
 * src/preload/bridge.ts). `satisfies Record<…, true>` makes the compiler reject a missing or an
 * extra name; contract-names.test.ts checks the lists and route formats against the contract.
 */
import type { EventName, MethodName } from '../../../shared/contract.ts';

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

export const rendererMethodNames = Object.keys(METHODS) as MethodName[];
export const rendererEventNames = Object.keys(EVENTS) as EventName[];

/** Same format as `httpRoute` / `HTTP_EVENTS_ROUTE` in shared/contract.ts (checked by test). */
export const rpcRoute = (name: MethodName): string => `/ui/rpc/${name}`;
export const EVENTS_ROUTE = '/ui/events';
