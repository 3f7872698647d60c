import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode, ErrorData } from '../../../shared/errors.ts';

/** HTTP status for each error code; unknown codes are a server fault (500). */
const STATUS: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  VALIDATION_FAILED: 400,
  INVOICE_AMOUNT_INVALID: 422,
  CHAIN_NOT_FOUND: 422,
  CHAIN_DISABLED: 422,
  TOKEN_NOT_FOUND: 422,
  TREASURY_INVALID: 422,
  MNEMONIC_INVALID: 422,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVOICE_NOT_FOUND: 404,
  API_KEY_NOT_FOUND: 404,
  WEBHOOK_NOT_FOUND: 404,
  WEBHOOK_DELIVERY_NOT_FOUND: 404,
  EVENT_NOT_FOUND: 404,
  CONFLICT: 409,
  IDEMPOTENCY_CONFLICT: 409,
  WALLET_EXISTS: 409,
  WALLET_MISSING: 409,
  VAULT_LOCKED: 423,
  VAULT_UNAVAILABLE: 503,
  RATE_LIMITED: 429,
  RATE_UNAVAILABLE: 503,
  TOKEN_OFF_PEG: 422,
};

export const statusFor = (code: ErrorCode): ContentfulStatusCode => STATUS[code] ?? 500;

/** The merchant API's error body: {"error": {"code", "message", "details"}}. */
export function errorResponse(c: Context, error: ErrorData, status = statusFor(error.code)) {
  return c.json({ error: { code: error.code, message: error.message, details: error.details ?? null } }, status);
}
