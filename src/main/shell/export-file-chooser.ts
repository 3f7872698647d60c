import { join } from 'node:path';
import type { BrowserWindow, SaveDialogOptions, SaveDialogReturnValue } from 'electron';

export interface ExportFileChooserOptions {
  showSaveDialog(window: BrowserWindow | undefined, options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
  /** The window the dialog belongs to (sheet on macOS); none while Till runs in the tray only. */
  window(): BrowserWindow | undefined;
  downloadsDir(): string;
}

/**
 * The engine's `chooseExportFile` in the desktop app: the person picks the file in the system's
 * save dialog, so a path never comes from the renderer.
 */
export function createExportFileChooser(options: ExportFileChooserOptions) {
  return async (suggestedName: string): Promise<string | null> => {
    const result = await options.showSaveDialog(options.window(), {
      title: 'Save the export',
      defaultPath: join(options.downloadsDir(), suggestedName),
      filters: [{ name: 'CSV (comma-separated values)', extensions: ['csv'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
    return result.canceled || !result.filePath ? null : result.filePath;
  };
}
