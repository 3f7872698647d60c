import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../../test/fixtures/engine.ts';
import { ExportKinds } from '../../../shared/exports.ts';
import { openDatabase } from '../db/connection.ts';
import { exportQuery } from './csv-export.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

describe('export queries', () => {
  // A sort of the whole period in a temporary b-tree holds every row in memory before the first
  // line goes out. (The invoices' sweep lookup sorts the few sweeps of one invoice: a nested plan row.)
  it.each(ExportKinds)('%s: walk an index in the export order, with or without a period, instead of sorting the rows', (kind) => {
    const { dir, cleanup } = tempDataDir();
    cleanups.push(cleanup);
    const db = openDatabase({ path: join(dir, 'till.db') });
    try {
      for (const range of [
        { from: null, to: null },
        { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
      ]) {
        const plan = db.prepare(`EXPLAIN QUERY PLAN ${exportQuery(kind)}`).all(range) as { parent: number; detail: string }[];
        expect(plan.filter((step) => step.parent === 0).map((step) => step.detail)).not.toContainEqual(
          expect.stringMatching(/TEMP B-TREE/),
        );
      }
    } finally {
      db.close();
    }
  });
});
