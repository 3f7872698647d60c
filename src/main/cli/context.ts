import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { createEngine, type Engine } from '../engine/engine.ts';
import { createLogger } from '../engine/lib/logger.ts';
import { resolveDataDir } from '../engine/lib/data-dir.ts';
import { passphraseSource, type KeystoreOption } from './engine-options.ts';

export function dataDirOf(command: Command): string {
  return resolveDataDir(command.optsWithGlobals<{ dataDir?: string }>().dataDir);
}

/**
 * Opens the engine for one command and closes it after. One-shot commands run no background
 * loops and log to the data dir's file only, keeping stdout for their own output.
 */
export async function withEngine<T>(
  command: Command,
  options: { keystore?: KeystoreOption; confirmPassphrase?: boolean },
  run: (engine: Engine) => Promise<T>,
): Promise<T> {
  const dataDir = dataDirOf(command);
  const logger = createLogger({ dataDir });
  const engine = await createEngine({
    dataDir,
    host: 'browser',
    keystore: options.keystore ?? 'auto',
    passphrase: passphraseSource({ confirm: options.confirmPassphrase }),
    logger,
    background: false,
    actor: cliActor(),
  });
  try {
    return await run(engine);
  } finally {
    await engine.stop();
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
  }
}

/** Operator log entries from the command line name the OS user. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

export const print = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
