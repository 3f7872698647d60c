import { Command } from 'commander';
import { openDatabase } from '../../engine/db/connection.ts';
import { databasePath } from '../../engine/engine.ts';
import { restoreBackup } from '../../engine/backup/backups.ts';
import { parseWholeNumber } from './chains.ts';
import { dataDirOf, print, withEngine } from '../context.ts';
import { confirmOnTerminal } from '../prompt.ts';
import { formatTable, shortTime } from '../table.ts';

const megabytes = (bytes: number): string => `${(bytes / 1_048_576).toFixed(2)} MiB`;
const OTHER_HALF = 'A backup holds no keys: the recovery words (or this computer’s keystore) are the other half of a restore.';

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description('back up the database now, also while the app or till serve runs (into the data folder’s backups/ unless --out)')
    .option('--out <file>', 'write the backup to this file instead')
    .action(async (options: { out?: string }, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const info = options.out ? await engine.backups.writeTo(options.out) : await engine.invoke('backups.create', {});
        print(`Backed up ${info.invoices ?? 0} invoice(s) to ${info.path} (${megabytes(info.sizeBytes)}).`);
        print(OTHER_HALF);
      });
    });

  const backups = program.command('backups').description('the daily backups in the data folder');
  backups
    .command('list', { isDefault: true })
    .description('list the daily backups, newest first')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const overview = await engine.invoke('backups.overview', {});
        if (options.json) return print(JSON.stringify(overview, null, 2));
        print(
          overview.keep === 0
            ? `Daily backups are off (till backups keep 7 turns them on). Folder: ${overview.directory}`
            : `Daily backups: the newest ${overview.keep} are kept in ${overview.directory}`,
        );
        if (overview.items.length === 0) return print('No backups yet.');
        print(
          formatTable(
            ['Taken', 'Size', 'File'],
            overview.items.map((item) => [shortTime(item.createdAt), megabytes(item.sizeBytes), item.path]),
          ),
        );
      });
    });
  backups
    .command('keep')
    .description('how many daily backups to keep (0 turns them off)')
    .argument('<count>', 'a whole number, 0–365', parseWholeNumber('count'))
    .action(async (count: number, _options: unknown, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const overview = await engine.invoke('backups.setKeep', { keep: count });
        print(overview.keep === 0 ? 'Daily backups are off.' : `Daily backups on: the newest ${overview.keep} are kept.`);
      });
    });

  program
    .command('restore')
    .description('replace the database with a backup (the app and till serve must be stopped); the current one is kept aside')
    .argument('<file>', 'a backup written by till backup or a daily backup')
    .option('--yes', 'do not ask')
    .action(async (file: string, options: { yes?: boolean }, command: Command) => {
      const dataDir = dataDirOf(command);
      if (!options.yes) {
        const ok = await confirmOnTerminal(
          `Replace the database in ${dataDir} with ${file}? The current one is kept aside.`,
          'This replaces the database and there is no terminal to ask on: run it again with --yes to go ahead.',
        );
        if (!ok) return print('Nothing was changed.');
      }
      const result = restoreBackup({ dataDir, file, now: Date.now() });
      // Opening once brings a backup from an older Till up to this schema now, not at the next start.
      openDatabase({ path: databasePath(dataDir) }).close();
      print(
        `Restored ${file}: ${result.restored.invoices} invoice(s), ${result.restored.payments} payment(s), ${result.restored.sweeps} sweep(s).`,
      );
      if (result.keptAside) print(`The database that was there is kept as ${result.keptAside}.`);
      if (result.walletChanged)
        print(
          `The backup's wallet (${result.restored.walletFingerprint}) is not the one this folder had: import its recovery words with till wallet import.`,
        );
      print(OTHER_HALF);
    });
}
