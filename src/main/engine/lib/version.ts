import { readFileSync } from 'node:fs';

/** Till's version from package.json, read once (works from src/ under Node and from out/ in Electron). */
export const TILL_VERSION: string = (() => {
  for (const candidate of ['../../../../package.json', '../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'till' && pkg.version) return pkg.version;
    } catch {
      // try the next location
    }
  }
  return '0.0.0';
})();
