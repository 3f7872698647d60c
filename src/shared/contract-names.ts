/**
 * The contract's method and event names, IPC channels and HTTP routes as plain values, free of
 * zod: the preload and the renderer bundle need the names, not the schemas (importing
 * contract.ts's values would pull zod and every schema into both). `satisfies Record<…, true>`
 * makes the compiler reject a method or event missing here, or one the contract does not have.
 */
import type { EventName, MethodName } from './contract.ts';
import type { ExportKind } from './exports.ts';

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
  'chains.health': true,
  'chains.rescan': true,
  'chains.pause': true,
  'chains.resume': true,
  'chains.testRpc': true,
  'invoices.recheck': true,
  'invoices.markInvalid': true,
  'invoices.markPaid': true,
  'invoices.events': true,
  'alerts.list': true,
  'alerts.acknowledge': true,
  'operatorLog.list': true,
  'webhooks.list': true,
  'webhooks.create': true,
  'webhooks.update': true,
  'webhooks.remove': true,
  'webhooks.rotateSecret': true,
  'webhooks.ping': true,
  'webhooks.deliveries': true,
  'webhooks.delivery': true,
  'webhooks.redeliver': true,
  'webhooks.redeliverEvent': true,
  'webhooks.redeliverFailed': true,
  'sweeps.overview': true,
  'sweeps.plan': true,
  'sweeps.run': true,
  'sweeps.list': true,
  'sweeps.get': true,
  'sweeps.bump': true,
  'sweeps.retry': true,
  'sweeps.pause': true,
  'sweeps.resume': true,
  'sweeps.saveSettings': true,
  'wallet.unlock': true,
  'recover.scan': true,
  'recover.sweep': true,
  'apiKeys.list': true,
  'apiKeys.create': true,
  'apiKeys.revoke': true,
  'backups.overview': true,
  'backups.create': true,
  'backups.setKeep': true,
  'doctor.run': true,
  'shop.get': true,
  'shop.setCurrency': true,
  'exports.save': true,
  'reports.summary': true,
  'display.state': true,
  'display.show': true,
  'display.clear': true,
  'display.pair': true,
  'display.unpairAll': true,
  'display.openWindow': true,
} as const satisfies Record<MethodName, true>;

const EVENTS = {
  'invoice.changed': true,
  'engine.status': true,
  'chains.health': true,
  'alerts.changed': true,
  'webhooks.changed': true,
  'sweeps.changed': true,
} as const satisfies Record<EventName, true>;

export const methodNames = Object.keys(METHODS) as MethodName[];
export const eventNames = Object.keys(EVENTS) as EventName[];
export const isEventName = (name: string): name is EventName => Object.hasOwn(EVENTS, name);

/** IPC channel of a method (Electron) and its HTTP route (till serve). */
export const ipcChannel = (name: MethodName): string => `till:${name}`;
export const IPC_EVENT_CHANNEL = 'till:event';
export const httpRoute = (name: MethodName): string => `/ui/rpc/${name}`;
export const HTTP_EVENTS_ROUTE = '/ui/events';
/** The browser UI's CSV download (?from=&to=), behind the session like the routes above. */
export const uiExportRoute = (kind: ExportKind): string => `/ui/exports/${kind}.csv`;
