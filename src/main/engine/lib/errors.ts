import type { ErrorCode, ErrorData } from '../../../shared/errors.ts';

/**
 * Base of every error Till raises on purpose. `code` is stable (see shared/errors.ts), `message`
 * tells a merchant what was wrong and how to fix it, `cause` keeps the chain for logs.
 */
export class TillError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
  }
  toData(): ErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export class ValidationError extends TillError {
  constructor(message: string, details?: unknown) {
    super('VALIDATION_FAILED', message, { details });
  }
}

export class NotFoundError extends TillError {
  constructor(code: ErrorCode, message: string) {
    super(code, message);
  }
}

/** Anything that is not a TillError becomes INTERNAL with a message that leaks nothing. */
export function toErrorData(error: unknown): ErrorData {
  if (error instanceof TillError) return error.toData();
  return { code: 'INTERNAL', message: 'Something went wrong inside Till; the log file has the details.' };
}
