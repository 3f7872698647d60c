import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExportKind } from '../../../shared/exports.ts';
import { exportChunks, openExportConnection, type ExportRange } from './csv-export.ts';
import { ExportWriteError } from './export-errors.ts';

/**
 * Writes the export to `file` a run of rows at a time and answers with the number of data rows.
 * It goes to a temporary file beside it first and is renamed into place when complete, so a full
 * disk or a crash never leaves a CSV that looks whole but lacks rows (or overwrites a good one with half).
 */
export async function saveExport(databaseFile: string, kind: ExportKind, range: ExportRange, file: string): Promise<number> {
  const partial = `${file}.${randomBytes(4).toString('hex')}.partial`;
  const db = openExportConnection(databaseFile);
  let lines = 0;
  try {
    const counted = Readable.from(
      (function* () {
        for (const chunk of exportChunks(db, kind, range)) {
          lines += chunk.lines;
          yield chunk.bytes;
        }
      })(),
    );
    await pipeline(counted, createWriteStream(partial, { flags: 'wx' }));
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw new ExportWriteError(file, error);
  } finally {
    db.close();
  }
  // The header is a line, not a row.
  return lines - 1;
}
