import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startTestEngine, tempDataDir, type TestEngine } from '../../../../test/fixtures/engine.ts';
import { exportLines, openExportConnection } from './csv-export.ts';

describe('exports.save (the desktop app: the host chooses the file)', () => {
  const out = tempDataDir('till-save-export-');
  let till: TestEngine | undefined;
  afterEach(async () => {
    await till?.close();
    till = undefined;
  });
  afterAll(() => out.cleanup());

  const start = async (choose?: (name: string) => Promise<string | null>) => {
    till = await startTestEngine({ chooseExportFile: choose });
    for (const orderId of ['A-1', 'A-2', 'A-3'])
      await till.engine.invoke('invoices.create', { chainId: 31337, token: 'USDC', amount: '1.5', orderId });
    return till;
  };

  it('writes the same CSV as the API streams, suggests a file name for the period, and counts data rows', async () => {
    const suggested: string[] = [];
    const file = join(out.dir, 'invoices.csv');
    const { engine } = await start(async (name) => {
      suggested.push(name);
      return file;
    });
    const result = await engine.call('exports.save', { kind: 'invoices', from: '2000-01-01', to: '2100-01-01' });
    expect(result).toEqual({ ok: true, value: { saved: true, path: file, rows: 3 } });
    expect(suggested).toEqual(['till-invoices-2000-01-01-to-2099-12-31.csv']);
    const db = openExportConnection(join(engine.dataDir, 'till.db'));
    try {
      expect(readFileSync(file, 'utf8')).toBe([...exportLines(db, 'invoices', {})].join(''));
    } finally {
      db.close();
    }
    // Renamed into place: no temporary file is left beside it.
    expect(readdirSync(out.dir).filter((name) => name.startsWith('invoices.csv'))).toEqual(['invoices.csv']);
    const [logged] = engine.store.operatorLog.list(1);
    expect(logged).toMatchObject({ action: 'exports.save', target: 'invoices' });
  });

  it('a cancelled dialog writes nothing', async () => {
    const { engine } = await start(async () => null);
    expect(await engine.call('exports.save', { kind: 'payments' })).toEqual({ ok: true, value: { saved: false } });
  });

  it('refuses impossible dates and a path from the UI before asking where to save', async () => {
    let asked = 0;
    const { engine } = await start(async () => {
      asked++;
      return join(out.dir, 'never.csv');
    });
    const bad = await engine.call('exports.save', { kind: 'payments', from: '2026-11-31' });
    expect(bad.ok ? null : bad.error.code).toBe('VALIDATION_FAILED');
    const withPath = await engine.call('exports.save', { kind: 'payments', path: '/tmp/x.csv' });
    expect(withPath.ok ? null : withPath.error.code).toBe('VALIDATION_FAILED');
    expect(asked).toBe(0);
  });

  it('without a save dialog (till serve) it says to download instead', async () => {
    const { engine } = await start();
    const result = await engine.call('exports.save', { kind: 'sweeps' });
    expect(result.ok ? null : result.error).toMatchObject({ code: 'EXPORT_UNAVAILABLE' });
  });

  it('a folder that cannot be written is EXPORT_WRITE_FAILED and leaves no partial file', async () => {
    const folder = join(out.dir, 'gone');
    mkdirSync(folder);
    const file = join(folder, 'missing-subfolder', 'payments.csv');
    const { engine } = await start(async () => file);
    const result = await engine.call('exports.save', { kind: 'payments' });
    expect(result.ok ? null : result.error).toMatchObject({ code: 'EXPORT_WRITE_FAILED' });
    expect(existsSync(join(folder, 'missing-subfolder'))).toBe(false);
    expect(readdirSync(folder)).toEqual([]);
  });
});
