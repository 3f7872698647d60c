import { describe, expect, it } from 'vitest';
import { externalUrlOrNull, openExternalSafely } from './open-external.ts';

describe('openExternalSafely', () => {
  it('passes http(s) URLs, normalised', () => {
    expect(externalUrlOrNull('https://etherscan.io/tx/0xabc')).toBe('https://etherscan.io/tx/0xabc');
    expect(externalUrlOrNull('HTTP://Example.COM')).toBe('http://example.com/');
  });

  it('refuses other schemes, credentials and junk', () => {
    for (const raw of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'ms-msdt:/id PCWDiagnostic',
      'smb://host/share',
      'app://till/index.html',
      'https://user:pass@example.com/',
      'https://user@example.com/',
      '//example.com',
      'not a url',
      '',
    ]) {
      expect(externalUrlOrNull(raw), raw).toBeNull();
    }
  });

  it('hands only accepted URLs to the OS', () => {
    const opened: string[] = [];
    const refused: string[] = [];
    const deps = { openExternal: async (url: string) => void opened.push(url), onRefused: (raw: string) => refused.push(raw) };
    expect(openExternalSafely('https://example.com/a', deps)).toBe(true);
    expect(openExternalSafely('file:///etc/passwd', deps)).toBe(false);
    expect(opened).toEqual(['https://example.com/a']);
    expect(refused).toEqual(['file:///etc/passwd']);
  });
});
