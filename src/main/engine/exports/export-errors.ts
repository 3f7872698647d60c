import { TillError } from '../lib/errors.ts';

/** This host has no way to ask where a file goes (till serve: the browser downloads instead). */
export class ExportUnavailableError extends TillError {
  constructor() {
    super(
      'EXPORT_UNAVAILABLE',
      'Saving an export to a file needs the desktop app. In a browser, use the Download button; from a terminal, till export.',
    );
  }
}

export class ExportWriteError extends TillError {
  constructor(file: string, cause: unknown) {
    const reason = typeof cause === 'object' && cause !== null && 'code' in cause ? ` (${String(cause.code)})` : '';
    super('EXPORT_WRITE_FAILED', `Could not write ${file}${reason}. Choose a folder you can write to, with free space.`, {
      cause,
    });
  }
}
