import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A worker thread's code beside the module that starts it: `name.ts` when Node runs the sources
 * (till serve, tests), `name.js` in the Electron build (electron.vite.config.ts emits each worker
 * into out/main beside the code that uses it). Undefined when neither ships: run inline then.
 */
export function findWorkerFile(besideUrl: string, name: string): string | undefined {
  return ['ts', 'js']
    .map((extension) => fileURLToPath(new URL(`./${name}.${extension}`, besideUrl)))
    .find((path) => existsSync(path));
}
