import type { ErrorCode, ErrorData } from '../../../shared/errors.ts';

/** An engine error as the UI shows it: the stable code for branching, the message for people. */
export class BridgeError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(error: ErrorData) {
    super(error.message);
    this.name = 'BridgeError';
    this.code = error.code;
    this.details = error.details;
  }
}

/** The message to show for anything a call can throw. */
export function errorMessage(error: unknown): string {
  if (error instanceof BridgeError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

export const UNREACHABLE_MESSAGE =
  'Till is not reachable. Check that `till serve` (or the desktop app) is still running, then try again.';
