/** Types for verify-till-signature.mjs (for TypeScript shops and Till's own tests). */
export function verifyTillWebhook<T = unknown>(
  rawBody: string | Buffer,
  header: string | undefined,
  secret: string,
  options?: { toleranceSeconds?: number; now?: number },
): T;
