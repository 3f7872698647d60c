// Loaded with `node --import` into Electron's own installer (node_modules/electron/install.js) by
// ensure-electron.ts. The installer is left to do its work and draw its progress bar on the
// terminal; this only tells the parent, on file descriptor 3, which URL was fetched and why it
// failed (a failed fetch's reason is in `error.cause`, which the installer's `console.error(err.stack)`
// drops), and keeps that stack trace off the terminal: the parent prints one message instead.
import { writeSync } from 'node:fs';
import { format } from 'node:util';

const REPORT_FD = 3;

export type InstallReport =
  | { kind: 'request'; url: string }
  | { kind: 'response'; url: string; status: number; statusText: string }
  | { kind: 'fetch-failed'; url: string; code?: string; message: string }
  | { kind: 'error'; text: string };

function report(record: InstallReport): void {
  try {
    writeSync(REPORT_FD, `${JSON.stringify(record)}\n`);
  } catch {
    // No parent listening (run by hand): the installer's own output is all there is.
  }
}

function urlOf(input: string | URL | Request): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

/** The innermost reason of a failed fetch: undici wraps the socket error, and Happy Eyeballs an AggregateError. */
function reasonOf(error: unknown): { code?: string; message: string } {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return { code, message: current.message };
    const next: unknown = current.cause ?? (current instanceof AggregateError ? current.errors[0] : undefined);
    if (!(next instanceof Error)) return { message: current.message };
    current = next;
  }
  return { message: String(current) };
}

const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = urlOf(input);
  report({ kind: 'request', url });
  try {
    const response = await realFetch(input, init);
    if (!response.ok) report({ kind: 'response', url, status: response.status, statusText: response.statusText });
    return response;
  } catch (error) {
    report({ kind: 'fetch-failed', url, ...reasonOf(error) });
    throw error;
  }
};

// install.js reports a failure with `console.error(err.stack)` and exits 1; nothing else in it
// writes to console.error (warnings go to console.warn and still reach the terminal).
console.error = (...args: unknown[]): void => report({ kind: 'error', text: format(...args) });

// A failure before the download starts (an unsupported platform, a missing dependency) throws
// out of install.js instead: the same report, the same exit code.
process.on('uncaughtException', (error) => {
  report({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
