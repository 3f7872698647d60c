import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command } from 'commander';
import { ExportKinds, ExportRangeSchema, type ExportKind } from '../../../shared/exports.ts';
import { databasePath } from '../../engine/engine.ts';
import { exportChunks, openExportConnection } from '../../engine/exports/csv-export.ts';
import { ValidationError } from '../../engine/lib/errors.ts';
import { describeZodError } from '../../engine/lib/zod-errors.ts';
import { print, withEngine } from '../context.ts';

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('CSV of invoices, payments or sweeps for a period (RFC 4180, UTF-8, UTC times, exact amounts)')
    .argument('<kind>', ExportKinds.join(' | '))
    .option('--from <time>', 'from this day or time, inclusive (2026-11-01 or 2026-11-01T00:00:00Z)')
    .option('--to <time>', 'to this day or time, exclusive (2026-12-01 for all of November)')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (kind: string, options: { from?: string; to?: string; out?: string }, command: Command) => {
      if (!(ExportKinds as readonly string[]).includes(kind))
        throw new ValidationError(`Unknown export "${kind}": choose one of ${ExportKinds.join(', ')}.`);
      const range = ExportRangeSchema.safeParse({ from: options.from, to: options.to });
      if (!range.success) throw new ValidationError(`Invalid --from/--to: ${describeZodError(range.error, 'options')}`);
      // Opening the engine brings the database to this version's schema; the export reads on a connection of its own.
      await withEngine(command, {}, async (engine) => {
        const db = openExportConnection(databasePath(engine.dataDir));
        try {
          let rows = -1;
          const lines = Readable.from(
            (function* () {
              for (const chunk of exportChunks(db, kind as ExportKind, range.data)) {
                rows += chunk.lines;
                yield chunk.bytes;
              }
            })(),
          );
          await pipeline(lines, options.out ? createWriteStream(options.out) : process.stdout, { end: Boolean(options.out) });
          if (options.out) print(`${rows} ${kind} row(s) written to ${options.out}.`);
        } finally {
          db.close();
        }
      });
    });
}
