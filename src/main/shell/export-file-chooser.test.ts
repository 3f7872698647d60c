import type { SaveDialogOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { createExportFileChooser } from './export-file-chooser.ts';

describe('the export save dialog', () => {
  const chooser = (answer: { canceled: boolean; filePath: string }, seen: SaveDialogOptions[] = []) =>
    createExportFileChooser({
      showSaveDialog: async (_window, options) => {
        seen.push(options);
        return answer;
      },
      window: () => undefined,
      downloadsDir: () => '/home/shop/Downloads',
    });

  it('suggests the file name in the downloads folder and answers with the chosen path', async () => {
    const seen: SaveDialogOptions[] = [];
    const choose = chooser({ canceled: false, filePath: '/home/shop/books/nov.csv' }, seen);
    expect(await choose('till-payments-2026-11-01-to-2026-11-30.csv')).toBe('/home/shop/books/nov.csv');
    expect(seen[0]!.defaultPath).toBe('/home/shop/Downloads/till-payments-2026-11-01-to-2026-11-30.csv');
    expect(seen[0]!.filters).toEqual([{ name: 'CSV (comma-separated values)', extensions: ['csv'] }]);
  });

  it('a cancelled dialog is null, even when Electron still fills in a path', async () => {
    expect(await chooser({ canceled: true, filePath: '/home/shop/Downloads/x.csv' })('x.csv')).toBeNull();
    expect(await chooser({ canceled: false, filePath: '' })('x.csv')).toBeNull();
  });
});
