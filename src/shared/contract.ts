/**
 * The one contract between the UI and the engine. Every operation the renderer may call is a
 * named method here with a zod input schema; every pushed event is named here too.
 *
 * Both transports are generated from this declaration: the Electron preload exposes exactly
 * these methods (one IPC channel each), and `till serve` exposes one HTTP route per method
 * plus server-sent events. There is deliberately no generic invoke(anyChannel) passthrough:
 * a compromised renderer can reach nothing the contract does not name.
 *
 * Results cross as data ({ok:true,value} | {ok:false,error}) because thrown errors lose their
 * class and code across structured clone and HTTP. Amounts cross as decimal strings
 * (see amounts.ts); no bigint ever crosses a transport.
 */
import { z } from 'zod';
import type { ErrorData } from './errors.ts';
import {
  AddressSchema,
  ApiKeyScopeSchema,
  ChainConfigSchema,
  ChainIdSchema,
  CreateInvoiceInputSchema,
  ListInvoicesInputSchema,
  TokenSchema,
  type Alert,
  type ApiKeyInfo,
  type Chain,
  type ChainHealth,
  type OperatorLogEntry,
  type RpcTestResult,
  RpcUrlSchema,
  type EngineStatus,
  type Invoice,
  type InvoicePage,
  type WalletStatus,
} from './domain.ts';
import type { ChainPreset } from './chain-presets.ts';
import type { BackupInfo, BackupsOverview } from './backups.ts';
import type { DoctorReport } from './doctor.ts';
import { ShopCurrencySchema, type ShopSettings } from './prices.ts';
import { ExportSaveInputSchema, type ExportSaveResult } from './exports.ts';
import type { DisplayPairing, DisplayState, DisplayWindowScreen } from './display.ts';
import { ReportPeriodSchema, type ReportSummary } from './reports.ts';
import {
  SweepSettingsInputSchema,
  SweepStatuses,
  type RecoveryScan,
  type SweepDetail,
  type SweepPage,
  type SweepPlan,
  type SweepSettings,
  type SweepsOverview,
  type SweepView,
} from './sweeps.ts';
import {
  ListDeliveriesInputSchema,
  WebhookEndpointInputSchema,
  WebhookEventsSchema,
  WebhookUrlSchema,
  type WebhookDelivery,
  type WebhookDeliveryDetail,
  type WebhookDeliveryPage,
  type WebhookDeliveryStatus,
  type WebhookEndpoint,
} from './webhooks.ts';

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorData };

interface MethodSpec<I extends z.ZodType, O> {
  input: I;
  /** Phantom: carries the output type only. */
  output?: O;
}
function method<O>() {
  return <I extends z.ZodType>(input: I): MethodSpec<I, O> => ({ input });
}

const Empty = z.strictObject({});
const MnemonicInput = z.string().min(1, 'enter the recovery words').max(1000);
/** Only needed where no OS keychain is usable: the words are then kept in a passphrase-encrypted file. */
const KeystorePassphraseInput = z.string().min(8, 'choose a keystore passphrase of at least 8 characters').max(1000).optional();

const Reason = z.string().trim().min(3, 'give a reason (it goes into the operator log)').max(500);

export interface InvoiceEventSummary {
  id: string;
  type: string;
  sequence: number;
  createdAt: string;
  /** This event's webhook deliveries, oldest first (redeliveries too). */
  deliveries: {
    id: string;
    endpointId: string;
    endpointUrl: string;
    status: WebhookDeliveryStatus;
    attempts: number;
    redelivery: boolean;
    lastHttpStatus: number | null;
  }[];
}

const Id = z.string().min(1).max(64);
const IsoSince = z.iso.datetime({ offset: true, message: 'give a time such as 2026-12-01T09:00:00Z' });

/** What "Sweep now" did: signed and sent here, or left for the Till process that sweeps. */
export interface SweepRunResult {
  mode: 'sent' | 'queued';
  sweeps: SweepView[];
  /** The request left in the store (mode queued). */
  requestId: string | null;
  /** Per chain, what stopped it (locked keystore, no gas, …). */
  problems: { chainId: number; message: string }[];
}

export interface AppInfo {
  version: string;
  host: 'desktop' | 'browser';
  dataDir: string;
}

export const contract = {
  'app.info': method<AppInfo>()(Empty),
  'engine.status': method<EngineStatus>()(Empty),

  'wallet.status': method<WalletStatus>()(Empty),
  /** Generates 24 words for the onboarding screen; stores nothing until wallet.create. */
  'wallet.generateMnemonic': method<{ mnemonic: string }>()(Empty),
  'wallet.create': method<WalletStatus>()(
    z.strictObject({ mnemonic: MnemonicInput, keystorePassphrase: KeystorePassphraseInput }),
  ),
  'wallet.import': method<WalletStatus>()(
    z.strictObject({
      mnemonic: MnemonicInput,
      bip39Passphrase: z.string().max(1000).optional(),
      keystorePassphrase: KeystorePassphraseInput,
    }),
  ),
  'wallet.setTreasury': method<WalletStatus>()(z.strictObject({ address: AddressSchema })),

  'chains.list': method<Chain[]>()(Empty),
  'chains.presets': method<ChainPreset[]>()(Empty),
  'chains.save': method<Chain>()(ChainConfigSchema),
  'chains.setEnabled': method<Chain>()(z.strictObject({ chainId: ChainIdSchema, enabled: z.boolean() })),
  'chains.remove': method<{ removed: true }>()(z.strictObject({ chainId: ChainIdSchema })),
  'tokens.add': method<Chain>()(z.strictObject({ chainId: ChainIdSchema, token: TokenSchema })),
  'tokens.remove': method<Chain>()(z.strictObject({ chainId: ChainIdSchema, address: AddressSchema })),

  'invoices.create': method<Invoice>()(CreateInvoiceInputSchema),
  'invoices.get': method<Invoice>()(z.strictObject({ id: z.string().min(1).max(64) })),
  'invoices.list': method<InvoicePage>()(ListInvoicesInputSchema),
  'invoices.qrSvg': method<{ svg: string }>()(z.strictObject({ id: z.string().min(1).max(64) })),

  'chains.health': method<ChainHealth[]>()(Empty),
  /** Scans the chain again from a block; payments are unique, so nothing is counted twice. */
  'chains.rescan': method<{ chainId: number; fromBlock: number }>()(
    z.strictObject({ chainId: ChainIdSchema, fromBlock: z.number().int('fromBlock must be a whole block number').min(0) }),
  ),
  'chains.pause': method<Chain>()(z.strictObject({ chainId: ChainIdSchema })),
  'chains.resume': method<Chain>()(z.strictObject({ chainId: ChainIdSchema })),
  'chains.testRpc': method<RpcTestResult>()(z.strictObject({ chainId: ChainIdSchema, url: RpcUrlSchema })),

  'invoices.recheck': method<{ invoice: Invoice; paymentsFound: number }>()(z.strictObject({ id: z.string().min(1).max(64) })),
  'invoices.markInvalid': method<Invoice>()(z.strictObject({ id: z.string().min(1).max(64), reason: Reason })),
  'invoices.markPaid': method<Invoice>()(z.strictObject({ id: z.string().min(1).max(64), reason: Reason })),
  'invoices.events': method<InvoiceEventSummary[]>()(z.strictObject({ id: z.string().min(1).max(64) })),

  'alerts.list': method<Alert[]>()(
    z.strictObject({ includeAcknowledged: z.boolean().optional(), limit: z.number().int().min(1).max(500).optional() }),
  ),
  'alerts.acknowledge': method<Alert>()(z.strictObject({ id: z.string().min(1).max(64) })),
  'operatorLog.list': method<OperatorLogEntry[]>()(z.strictObject({ limit: z.number().int().min(1).max(500).optional() })),

  'webhooks.list': method<WebhookEndpoint[]>()(Empty),
  /** The secret is in the answer this once; it is never shown again. */
  'webhooks.create': method<{ endpoint: WebhookEndpoint; secret: string }>()(WebhookEndpointInputSchema),
  'webhooks.update': method<WebhookEndpoint>()(
    z.strictObject({
      id: Id,
      url: WebhookUrlSchema.optional(),
      events: WebhookEventsSchema.optional(),
      description: z.string().trim().max(200).optional(),
      enabled: z.boolean().optional(),
      maxConcurrency: z.number().int().min(1).max(64).optional(),
    }),
  ),
  'webhooks.remove': method<{ removed: true }>()(z.strictObject({ id: Id })),
  'webhooks.rotateSecret': method<{ endpoint: WebhookEndpoint; secret: string }>()(
    z.strictObject({
      id: Id,
      overlapHours: z
        .number()
        .int()
        .min(0)
        .max(24 * 30)
        .optional(),
    }),
  ),
  /** Sends a signed ping now and answers with the attempt's outcome. */
  'webhooks.ping': method<WebhookDeliveryDetail>()(z.strictObject({ id: Id })),
  'webhooks.deliveries': method<WebhookDeliveryPage>()(ListDeliveriesInputSchema),
  'webhooks.delivery': method<WebhookDeliveryDetail>()(z.strictObject({ id: Id })),
  /** A new delivery of the same event, attempted now; answers with its outcome. */
  'webhooks.redeliver': method<WebhookDeliveryDetail>()(z.strictObject({ deliveryId: Id })),
  'webhooks.redeliverEvent': method<WebhookDelivery[]>()(z.strictObject({ eventId: Id })),
  'webhooks.redeliverFailed': method<{ queued: number }>()(z.strictObject({ since: IsoSince, endpointId: Id.optional() })),

  /** Treasury, gas accounts, what waits and what is in flight, per chain. */
  'sweeps.overview': method<SweepsOverview>()(Empty),
  /** What would be swept now and what it would cost; signs nothing. `all`: as "Sweep now" would. */
  'sweeps.plan': method<SweepPlan[]>()(z.strictObject({ chainId: ChainIdSchema.optional(), all: z.boolean().optional() })),
  /** "Sweep now": everything that is not dust, on one chain or all. */
  'sweeps.run': method<SweepRunResult>()(z.strictObject({ chainId: ChainIdSchema.optional() })),
  'sweeps.list': method<SweepPage>()(
    z.strictObject({
      status: z.enum(SweepStatuses).optional(),
      chainId: ChainIdSchema.optional(),
      limit: z.number().int().min(1).max(500).optional(),
      cursor: z.string().max(64).optional(),
    }),
  ),
  'sweeps.get': method<SweepDetail>()(z.strictObject({ id: Id })),
  /** Replaces a pending sweep's transaction now with higher fees (past the ceiling if need be). */
  'sweeps.bump': method<SweepDetail>()(z.strictObject({ id: Id })),
  /** Sends a pending sweep again now; for a failed one, lets its deposits be swept again. */
  'sweeps.retry': method<SweepDetail>()(z.strictObject({ id: Id })),
  'sweeps.pause': method<SweepSettings>()(z.strictObject({ chainId: ChainIdSchema })),
  'sweeps.resume': method<SweepSettings>()(z.strictObject({ chainId: ChainIdSchema })),
  'sweeps.saveSettings': method<SweepSettings>()(SweepSettingsInputSchema.extend({ chainId: ChainIdSchema })),
  /** The file keystore's passphrase, where Till could not read it at start (the desktop app). */
  'wallet.unlock': method<{ unlocked: true }>()(
    z.strictObject({ passphrase: z.string().min(1, 'enter the keystore passphrase').max(1000) }),
  ),
  /**
   * From the recovery words alone: walks the deposit addresses until `gap` unused ones in a row
   * and reads what each holds. What it finds waits (held) until recover.sweep.
   */
  'recover.scan': method<RecoveryScan>()(
    z.strictObject({ chainId: ChainIdSchema, gap: z.number().int().min(1).max(10_000).optional() }),
  ),
  /** Sweeps what recover.scan found. */
  'recover.sweep': method<SweepRunResult>()(z.strictObject({ chainId: ChainIdSchema })),

  'apiKeys.list': method<ApiKeyInfo[]>()(Empty),
  'apiKeys.create': method<{ apiKey: ApiKeyInfo; secret: string }>()(
    z.strictObject({
      name: z.string().trim().min(1, 'give the key a name').max(100),
      scopes: z.array(ApiKeyScopeSchema).min(1, 'choose at least one scope'),
    }),
  ),
  'apiKeys.revoke': method<ApiKeyInfo>()(z.strictObject({ id: z.string().min(1).max(64) })),

  /** Daily backups in the data folder: where, how many are kept, the list. */
  'backups.overview': method<BackupsOverview>()(Empty),
  /** "Back up now": an online backup into the data folder's backups/ (SQLite's backup API). */
  'backups.create': method<BackupInfo>()(Empty),
  /** Every health check with what to do (till doctor, the Doctor screen). Reads only. */
  'doctor.run': method<DoctorReport>()(Empty),
  /** How many daily backups to keep; 0 turns scheduled backups off. */
  'backups.setKeep': method<BackupsOverview>()(
    z.strictObject({ keep: z.number().int().min(0).max(365, 'keep at most 365 daily backups') }),
  ),

  /** The shop's currency for prices (the Charge screen's keypad, invoices by price). */
  'shop.get': method<ShopSettings>()(Empty),
  'shop.setCurrency': method<ShopSettings>()(z.strictObject({ currency: ShopCurrencySchema })),

  /**
   * The desktop app's CSV export: the host asks where to save (a save dialog), then the file is
   * written row by row. The UI never names the path, so it cannot write anywhere else. In a
   * browser the same CSV is a download instead (saved: false is a cancelled dialog).
   */
  'exports.save': method<ExportSaveResult>()(ExportSaveInputSchema),
  /** The Reports screen: a period's received amounts per day and token, sweep fees, invoice counts; the CSV exports' numbers. */
  'reports.summary': method<ReportSummary>()(ReportPeriodSchema),

  /** What the customer display shows now, and how many screens are paired. */
  'display.state': method<DisplayState & { pairedDisplays: number }>()(Empty),
  /** Put an invoice on the customer display (the Charge screen does, on Enter). */
  'display.show': method<{ invoiceId: string }>()(z.strictObject({ invoiceId: z.string().min(1).max(64) })),
  /** Back to idle: the shop's name. */
  'display.clear': method<{ cleared: true }>()(Empty),
  /** A one-time link (10 minutes) that pairs a screen as the customer display. */
  'display.pair': method<DisplayPairing>()(Empty),
  /** Unpair every customer display (a lost tablet). */
  'display.unpairAll': method<{ unpaired: true }>()(Empty),
  /**
   * The desktop app's customer display: a window, fullscreen on a second screen when there is
   * one. Only the desktop host can open windows; elsewhere DISPLAY_WINDOW_UNAVAILABLE.
   */
  'display.openWindow': method<{ opened: true; screen: DisplayWindowScreen }>()(Empty),
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
/** What an operation receives: the input after validation (defaults filled in, transforms applied). */
export type MethodParsed<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = NonNullable<Contract[M]['output']>;

/** Events the engine pushes to every UI. */
export interface EventPayloads {
  'invoice.changed': { invoice: Invoice };
  'engine.status': EngineStatus;
  'chains.health': ChainHealth[];
  'alerts.changed': { open: number };
  /** Webhook deliveries or endpoints changed; `open` deliveries are still to reach their endpoint. */
  'webhooks.changed': { open: number };
  /** Sweeps changed; `inFlight` are signed and not yet final. */
  'sweeps.changed': { inFlight: number };
}
export type EventName = keyof EventPayloads;

export { eventNames, HTTP_EVENTS_ROUTE, httpRoute, IPC_EVENT_CHANNEL, ipcChannel, methodNames } from './contract-names.ts';

/** What the preload exposes as `window.till` and what the browser transport implements. */
export type TillBridge = {
  [M in MethodName]: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>>;
} & {
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
};
