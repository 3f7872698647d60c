import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

const isExecutable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Finds an Electron executable WITHOUT loading the `electron` package: its index.js downloads
 * the binary from GitHub on first use, which hangs or fails on a closed network. Looks at, in
 * order: $ELECTRON_BINARY, $ELECTRON_OVERRIDE_DIST_PATH, node_modules/electron/{path.txt,dist}.
 */
export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  if (env.ELECTRON_BINARY) {
    return isExecutable(env.ELECTRON_BINARY)
      ? { found: true, path: env.ELECTRON_BINARY }
      : { found: false, reason: `ELECTRON_BINARY=${env.ELECTRON_BINARY} is not an executable file` };
  }

  let packageDir: string;
  try {
    // Resolving package.json only locates the package; it runs none of its code.
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { found: false, reason: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const relativeExecutable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;

  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = join(env.ELECTRON_OVERRIDE_DIST_PATH, relativeExecutable || 'electron');
    return isExecutable(candidate)
      ? { found: true, path: candidate }
      : { found: false, reason: `no executable Electron at ELECTRON_OVERRIDE_DIST_PATH (${candidate})` };
  }
  if (!relativeExecutable) {
    return { found: false, reason: 'node_modules/electron/path.txt is missing (the binary was never downloaded)' };
  }
  const candidate = join(packageDir, 'dist', relativeExecutable);
  return isExecutable(candidate)
    ? { found: true, path: candidate }
    : { found: false, reason: `${candidate} is missing or not executable` };
}
