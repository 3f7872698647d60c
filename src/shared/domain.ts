/**
 * Domain types shared by the engine, the merchant API, the IPC contract and the UI.
 * Zod schemas are the source; TypeScript types are inferred from them. Field names of the
 * invoice object are a public contract (merchant API, webhooks): never rename one.
 */
import { z } from 'zod';
import { SweepSettingsInputSchema } from './sweeps.ts';
import { InvoicePriceSchema, InvoiceRateSchema, PriceFeedsSchema, PriceSchema, ShopCurrencySchema } from './prices.ts';

export const AddressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed, 40-hex-digit EVM address')
  .meta({ description: 'EVM address, EIP-55 checksummed in responses', example: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed' });
export type Address = `0x${string}`;

export const ChainIdSchema = z
  .number()
  .int('must be a whole number')
  .min(1)
  .max(2 ** 53 - 1);

export const InvoiceStatuses = ['pending', 'detected', 'confirmed', 'settled', 'expired', 'invalid'] as const;
export const InvoiceStatusSchema = z.enum(InvoiceStatuses);
export type InvoiceStatus = z.infer<typeof InvoiceStatusSchema>;

export const ExceptionStatuses = ['underpaid', 'overpaid', 'paid_late'] as const;
export const ExceptionStatusSchema = z.enum(ExceptionStatuses);
export type ExceptionStatus = z.infer<typeof ExceptionStatusSchema>;

export const PaymentStatusSchema = z.enum(['pending', 'confirmed', 'orphaned']);

const IsoTime = z.string().meta({ description: 'ISO-8601 UTC time', example: '2026-11-25T10:00:00.000Z' });
const DecimalAmount = z.string().meta({ description: 'Decimal string in token units', example: '12.5' });

export const InvoiceTokenSchema = z
  .object({
    address: AddressSchema.nullable().meta({ description: 'ERC-20 contract; null for the native coin' }),
    symbol: z.string(),
    decimals: z.number().int(),
  })
  .meta({ id: 'InvoiceToken' });

export const PaymentSchema = z
  .object({
    txHash: z.string(),
    logIndex: z.number().int().nullable(),
    from: AddressSchema,
    amount: DecimalAmount,
    blockNumber: z.number().int(),
    blockHash: z.string(),
    confirmations: z.number().int(),
    status: PaymentStatusSchema,
    detectedAt: IsoTime,
  })
  .meta({ id: 'Payment' });
export type Payment = z.infer<typeof PaymentSchema>;

export const InvoiceSweepSchema = z
  .object({
    txHash: z.string().meta({ description: 'The transaction that moved the funds' }),
    gasCost: DecimalAmount.meta({
      description: 'This invoice’s share of what the sweep cost, in the chain’s native coin (from the receipts)',
      example: '0.000021',
    }),
    sweptAt: IsoTime.meta({ description: 'When the sweep reached the chain’s confirmation depth' }),
  })
  .meta({ id: 'InvoiceSweep' });

export const InvoiceSchema = z
  .object({
    id: z.string().meta({ example: 'inv_01JD3XK9Q4M8ZB7T2W5R6N0P1A' }),
    status: InvoiceStatusSchema,
    exceptionStatus: ExceptionStatusSchema.nullable(),
    chainId: z.number().int(),
    token: InvoiceTokenSchema,
    amount: DecimalAmount,
    amountReceived: DecimalAmount,
    address: AddressSchema.meta({ description: 'Deposit address of this invoice alone' }),
    derivationIndex: z.number().int().meta({ description: "i in m/44'/60'/0'/0/i" }),
    paymentUri: z.string().meta({ description: 'EIP-681 payment URI, the content of the QR code' }),
    orderId: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    createdAt: IsoTime,
    expiresAt: IsoTime,
    detectedAt: IsoTime.nullable(),
    confirmedAt: IsoTime.nullable(),
    settledAt: IsoTime.nullable(),
    payments: z.array(PaymentSchema),
    sweep: InvoiceSweepSchema.nullable().meta({
      description: 'The sweep that moved this invoice’s funds to the treasury, once it is final (status settled)',
    }),
    redirectUrl: z.string().nullable().meta({
      description: 'Where the checkout page sends the customer back to once the invoice is paid',
    }),
    price: InvoicePriceSchema.nullable().meta({
      description: 'The price in the shop’s currency the invoice was created with, or null when it was created by token amount',
    }),
    rate: InvoiceRateSchema.nullable().meta({ description: 'The rate that price was converted at, locked at creation' }),
    checkoutUrl: z.string().nullable().meta({
      description:
        'The hosted checkout page for the customer: {public URL}/pay/{id}; null while Till knows no URL it is reachable at',
      example: 'https://pay.example.com/pay/inv_01JD3XK9Q4M8ZB7T2W5R6N0P1A',
    }),
  })
  .meta({ id: 'Invoice' });
export type Invoice = z.infer<typeof InvoiceSchema>;

export const METADATA_MAX_BYTES = 16 * 1024;
export const EXPIRY_MAX_SECONDS = 30 * 24 * 3600;
export const EXPIRY_DEFAULT_SECONDS = 3600;

/** A link for a customer's browser: an absolute http(s) URL, nothing a page could run. */
export const RedirectUrlSchema = z
  .string({ error: 'redirectUrl must be a URL such as https://shop.example.com/orders/1042' })
  .max(2000, 'redirectUrl must be at most 2000 characters')
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'redirectUrl must be an absolute http:// or https:// URL without a user name or password');

/** The base customers reach Till's checkout pages at, through a reverse proxy with TLS. */
export const PublicUrlSchema = z
  .string()
  .max(500)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === 'https:' || url.protocol === 'http:') &&
        !url.username &&
        !url.password &&
        url.search === '' &&
        url.hash === ''
      );
    } catch {
      return false;
    }
  }, 'the public URL must be an http:// or https:// address such as https://pay.example.com, without a query, fragment or password');

export const ShopSchema = z.strictObject({
  /** Shown to customers on the checkout page. */
  name: z.string().trim().min(1, 'the shop name cannot be empty').max(80, 'the shop name may be at most 80 characters'),
  /** Prices at the counter and by default are in this currency (default USD). */
  currency: ShopCurrencySchema.optional(),
});

export const CreateInvoiceInputSchema = z
  .strictObject({
    chainId: ChainIdSchema.meta({ example: 8453 }),
    token: z
      .string()
      .min(1, 'name the token: "native", a symbol such as "USDC", or its contract address')
      .max(64)
      .meta({ description: '"native", a registered token symbol, or a token contract address', example: 'USDC' }),
    amount: z
      .string({ error: 'amount must be a decimal string such as "12.50" (a string, not a number, so nothing is rounded)' })
      .max(100, 'amount is too long')
      .optional()
      .meta({ description: 'Decimal string in token units; give this or price', example: '12.50' }),
    price: PriceSchema.optional().meta({
      description:
        'A price in the shop’s currency instead of amount: Till converts it at creation with Chainlink feeds read on the chain and locks that rate for the invoice',
    }),
    orderId: z.string().min(1).max(200).optional().meta({ example: 'order-1042' }),
    redirectUrl: RedirectUrlSchema.optional().meta({
      description: 'The checkout page’s "Return to the shop" link once the invoice is paid (http or https)',
      example: 'https://shop.example.com/orders/1042/thanks',
    }),
    metadata: z
      .record(z.string(), z.unknown(), { error: 'metadata must be a JSON object' })
      .refine((value) => new TextEncoder().encode(JSON.stringify(value)).length <= METADATA_MAX_BYTES, {
        message: `metadata must serialize to at most ${METADATA_MAX_BYTES} bytes of JSON`,
      })
      .optional(),
    expiresInSeconds: z
      .number()
      .int('expiresInSeconds must be a whole number of seconds')
      .min(1, 'expiresInSeconds must be at least 1')
      .max(EXPIRY_MAX_SECONDS, `expiresInSeconds must be at most ${EXPIRY_MAX_SECONDS} (30 days)`)
      .optional()
      .meta({ description: 'Seconds until the invoice expires (1 to 30 days); default 3600', example: 3600 }),
    monitoringWindowSeconds: z
      .number()
      .int('monitoringWindowSeconds must be a whole number of seconds')
      .min(0)
      .max(EXPIRY_MAX_SECONDS, `monitoringWindowSeconds must be at most ${EXPIRY_MAX_SECONDS} (30 days)`)
      .optional()
      .meta({ description: 'How long after expiry a full payment still counts (as paid_late); default 86400', example: 86400 }),
  })
  .refine((input) => (input.amount === undefined) !== (input.price === undefined), {
    message:
      'give either amount (in token units, such as "12.50") or price ({"amount": "12.50", "currency": "EUR"}), not both and not neither',
    path: ['amount'],
    // Said even when other fields are wrong too, so an empty body names amount or price at once.
    when: (payload) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
  })
  .meta({ id: 'CreateInvoice' });
export type CreateInvoiceInput = z.infer<typeof CreateInvoiceInputSchema>;

export const ListInvoicesInputSchema = z.strictObject({
  status: InvoiceStatusSchema.optional(),
  chainId: ChainIdSchema.optional(),
  orderId: z.string().max(200).optional(),
  search: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(500).optional(),
  cursor: z.string().max(200).optional(),
});
export type ListInvoicesInput = z.infer<typeof ListInvoicesInputSchema>;

export interface InvoicePage {
  items: Invoice[];
  nextCursor: string | null;
}

export const TokenSchema = z.strictObject({
  symbol: z
    .string()
    .min(1)
    .max(16)
    .regex(/^[A-Za-z0-9.$_-]+$/, 'a token symbol is letters, digits and . $ _ - only'),
  address: AddressSchema,
  decimals: z.number().int().min(0).max(36),
});
export type Token = z.infer<typeof TokenSchema>;

export const RpcUrlSchema = z
  .string()
  .url('must be a URL such as https://rpc.example.org')
  .refine((url) => /^(https?|wss?):\/\//i.test(url), 'an RPC URL must start with http://, https://, ws:// or wss://');

/**
 * How the scanner finds native-coin payments: by watching the deposit addresses' balances and
 * locating each change (`balances`), by reading every block body (`blocks`), or choosing per step
 * by expected cost (`auto`). See docs/ARCHITECTURE.md, "Native-coin detection".
 */
export const NativeDetectionSchema = z.enum(['auto', 'balances', 'blocks']);
export type NativeDetection = z.infer<typeof NativeDetectionSchema>;

export const ChainConfigSchema = z.strictObject({
  chainId: ChainIdSchema,
  name: z.string().min(1).max(64),
  rpcUrls: z.array(RpcUrlSchema).min(1, 'give at least one RPC URL').max(8),
  confirmations: z.number().int().min(1).max(1000),
  pollIntervalMs: z.number().int().min(100).max(600_000),
  startBlock: z.number().int().min(0).optional(),
  enabled: z.boolean().optional(),
  nativeSymbol: z.string().min(1).max(16).optional(),
  nativeDecimals: z.number().int().min(0).max(36).optional(),
  /** Native-coin detection; when left out, the chain keeps its own (initially auto). */
  nativeDetection: NativeDetectionSchema.optional(),
  tokens: z.array(TokenSchema).max(64).optional(),
  /** Sweeping settings; when left out, the chain keeps the ones it has (or the defaults). */
  sweep: SweepSettingsInputSchema.optional(),
  /** Chainlink feeds by pair ("ETH/USD"), on top of the chain's presets; when given, replaces the chain's own. */
  priceFeeds: PriceFeedsSchema.optional(),
});
export type ChainConfig = z.infer<typeof ChainConfigSchema>;

export interface Chain {
  chainId: number;
  name: string;
  rpcUrls: string[];
  confirmations: number;
  pollIntervalMs: number;
  startBlock: number | null;
  enabled: boolean;
  /** Scanning paused by the operator (keeps its position). */
  paused: boolean;
  nativeSymbol: string;
  nativeDecimals: number;
  nativeDetection: NativeDetection;
  tokens: Token[];
  createdAt: string;
  updatedAt: string;
}

export const ApiKeyScopes = ['invoices:read', 'invoices:write', 'admin'] as const;
export const ApiKeyScopeSchema = z.enum(ApiKeyScopes);
export type ApiKeyScope = z.infer<typeof ApiKeyScopeSchema>;

export interface ApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export type KeystoreKind = 'os' | 'file';

export interface WalletStatus {
  exists: boolean;
  fingerprint: string | null;
  keystore: KeystoreKind | null;
  treasury: string | null;
  nextIndex: number;
}

export interface EngineStatus {
  version: string;
  walletReady: boolean;
  treasury: string | null;
  chains: { chainId: number; name: string; enabled: boolean }[];
  startedAt: string;
}

export const AlertTypes = [
  'payment_after_window',
  'wrong_token',
  'internal_transfer',
  'deep_reorg',
  'endpoint_down',
  'chain_stalled',
  'scan_failing',
  'webhook_dead',
  'webhook_endpoint_gone',
  'treasury_missing',
  'vault_locked',
  'gas_account_low',
  'gas_account_empty',
  'sweep_stuck',
  'sweep_reverted',
  'sweep_fee_ceiling',
  'sweep_nonce_conflict',
] as const;
export type AlertType = (typeof AlertTypes)[number];
export type AlertSeverity = 'info' | 'warning' | 'critical';

export interface Alert {
  id: string;
  type: AlertType;
  severity: AlertSeverity;
  chainId: number | null;
  invoiceId: string | null;
  message: string;
  /** What the merchant can do about it. */
  remedy: string;
  details: Record<string, unknown> | null;
  createdAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

export interface OperatorLogEntry {
  id: number;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
  createdAt: string;
}

export interface RpcEndpointHealth {
  /** Redacted for display: scheme, host and port; API keys in the path or query masked. */
  url: string;
  /** EWMA of successful requests. */
  latencyMs: number | null;
  /** 0..1 over the last 5 minutes (at most the last 50 requests). */
  errorRate: number;
  requests: number;
  failures: number;
  lastError: string | null;
  lastErrorAt: string | null;
  circuit: 'closed' | 'open' | 'half-open';
  head: number | null;
  headAt: string | null;
  /** Head more than the lag threshold behind the best head. */
  lagging: boolean;
  /** From Retry-After or the breaker. */
  cooldownUntil: string | null;
  /** The eth_getLogs span this provider accepted so far. */
  maxLogRange: number;
  /**
   * ws:// and wss:// endpoints only: the `newHeads` subscription that wakes the scanner on each block.
   * `reconnecting`: the socket dropped, a reconnect is scheduled; `refused`: the provider does not
   * offer it. Whatever the state, the scanner keeps polling as a safety net.
   */
  newHeads?: 'connecting' | 'live' | 'reconnecting' | 'refused';
}

/** What testing an RPC URL before saving it found. */
export interface RpcTestResult {
  /** The URL serves the expected chain, answers for its head and accepts some eth_getLogs span. */
  ok: boolean;
  chainId: number | null;
  head: number | null;
  latencyMs: number | null;
  /** The widest eth_getLogs span (blocks) that was accepted, up to the 1,000 probed. */
  logRangeAccepted: number | null;
  /** Merchant-readable; may hold warnings even when ok. */
  problems: string[];
}

export type ChainScanState = 'idle' | 'catching-up' | 'live' | 'paused' | 'failing' | 'disabled';

/** Which native-coin detection the scanner used last, and why (the chain health screen shows it). */
export interface NativeDetectionStatus {
  mode: 'balances' | 'blocks';
  reason: string;
  /** How balances are read from the endpoint: BalanceProbe by state override, or Multicall3. */
  balanceReads: 'override' | 'multicall' | null;
}

export interface ChainHealth {
  chainId: number;
  name: string;
  enabled: boolean;
  state: ChainScanState;
  head: number | null;
  lastScannedBlock: number | null;
  lagBlocks: number | null;
  lagSeconds: number | null;
  /** Blocks per second over the last minute of catch-up. */
  catchUpBlocksPerSecond: number | null;
  etaSeconds: number | null;
  lastSuccessfulScanAt: string | null;
  lastHeadChangeAt: string | null;
  lastError: string | null;
  watchedAddresses: number;
  /** The chain's setting, and what the scanner did with it last (null: no native invoice watched yet). */
  nativeDetection: NativeDetection;
  nativeDetectionStatus: NativeDetectionStatus | null;
  endpoints: RpcEndpointHealth[];
}
