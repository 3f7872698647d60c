import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';

/**
 * Paths redacted wherever they appear in a log object. Secrets should never be logged in the
 * first place; this is the net under that rule.
 */
export const REDACTED_PATHS = [
  'mnemonic',
  '*.mnemonic',
  'passphrase',
  '*.passphrase',
  'bip39Passphrase',
  '*.bip39Passphrase',
  'secret',
  '*.secret',
  'privateKey',
  '*.privateKey',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
];

export interface LoggerOptions {
  dataDir?: string;
  level?: string;
  /** Also write JSON lines to stdout (till serve). */
  stdout?: boolean;
}

/**
 * JSON logs to a size-capped rotating file in the data dir (pino-roll, in a worker thread so a
 * slow disk never blocks the engine) and optionally to stdout.
 */
export function createLogger(options: LoggerOptions): Logger {
  const targets: pino.TransportTargetOptions[] = [];
  if (options.stdout) targets.push({ target: 'pino/file', options: { destination: 1 } });
  if (options.dataDir) {
    const dir = join(options.dataDir, 'logs');
    mkdirSync(dir, { recursive: true });
    targets.push({
      target: 'pino-roll',
      options: { file: join(dir, 'till'), extension: '.log', size: '10m', limit: { count: 5 }, mkdir: true },
    });
  }
  const level = options.level ?? process.env.TILL_LOG_LEVEL ?? 'info';
  if (targets.length === 0) return pino({ level, enabled: false });
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { app: 'till' } },
    pino.transport({ targets: targets.map((target) => ({ ...target, level })) }),
  );
}
