/**
 * Stable error codes. The UI, the HTTP API and the CLI key their advice on these; never rename one.
 */
export const ErrorCodes = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'CONFLICT',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'INTERNAL',
  'DATABASE_FROM_FUTURE',
  'DATABASE_LOCKED',
  'CONFIG_INVALID',
  'WALLET_EXISTS',
  'WALLET_MISSING',
  'MNEMONIC_INVALID',
  'VAULT_UNAVAILABLE',
  'VAULT_LOCKED',
  'VAULT_PASSPHRASE_WRONG',
  'VAULT_FILE_CORRUPT',
  'VAULT_FORMAT_UNSUPPORTED',
  'CHAIN_NOT_FOUND',
  'CHAIN_DISABLED',
  'TOKEN_NOT_FOUND',
  'INVOICE_NOT_FOUND',
  'INVOICE_AMOUNT_INVALID',
  'IDEMPOTENCY_CONFLICT',
  'API_KEY_NOT_FOUND',
  'TREASURY_INVALID',
  'CHAIN_RPC_UNAVAILABLE',
  'CHAIN_RPC_MISMATCH',
  'CHAIN_RPC_RANGE_REFUSED',
  'CHAIN_PAUSED',
  'INVOICE_STATE_CONFLICT',
  'ALERT_NOT_FOUND',
  'WEBHOOK_NOT_FOUND',
  'WEBHOOK_DELIVERY_NOT_FOUND',
  'EVENT_NOT_FOUND',
  'SWEEP_NOT_FOUND',
  'SWEEP_STATE_CONFLICT',
  'SWEEP_UNAVAILABLE',
  'TREASURY_MISSING',
  'CONFIRMATION_REQUIRED',
  'DATA_DIR_IN_USE',
  'BACKUP_INVALID',
  'BACKUP_FROM_FUTURE',
  'RATE_LIMITED',
  /** A price could not be converted: the rate source failed or is stale; nothing was created. */
  'RATE_UNAVAILABLE',
  /** A stablecoin is more than 2 % off its peg; nothing was created. */
  'TOKEN_OFF_PEG',
  'EXPORT_UNAVAILABLE',
  'EXPORT_WRITE_FAILED',
  /** display.openWindow outside the desktop app (till serve, the CLI): pair a tablet instead. */
  'DISPLAY_WINDOW_UNAVAILABLE',
] as const;
export type ErrorCode = (typeof ErrorCodes)[number];

/** What crosses IPC / HTTP: plain data, never a thrown class (classes do not survive structured clone). */
export interface ErrorData {
  code: ErrorCode;
  message: string;
  details?: unknown;
}
