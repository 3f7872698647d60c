import { describe, expect, it } from 'vitest';
import { formatBytes, parseKeep, restoreCommand } from './backup-format.ts';

describe('backups on screen', () => {
  it('sizes in the unit a file manager uses', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(1023)).toBe('1,023 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(45 * 1024 * 1024)).toBe('45 MB');
    expect(formatBytes(-1)).toBe('—');
  });

  it('quotes the restore command only when the path needs it', () => {
    expect(restoreCommand('/home/shop/.till/backups/till-20261205T090000Z.db')).toBe(
      'till restore /home/shop/.till/backups/till-20261205T090000Z.db',
    );
    expect(restoreCommand("/home/O'Neil/My Till/b.db")).toBe("till restore '/home/O'\\''Neil/My Till/b.db'");
  });

  it('takes 0 to 365 whole days', () => {
    expect(parseKeep(' 14 ')).toEqual({ ok: true, keep: 14 });
    expect(parseKeep('0')).toEqual({ ok: true, keep: 0 });
    expect(parseKeep('366').ok).toBe(false);
    expect(parseKeep('2.5').ok).toBe(false);
    expect(parseKeep('').ok).toBe(false);
  });
});
