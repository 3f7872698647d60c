import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The desktop app's own data folder, computed the way Electron computes `app.getPath('userData')`
 * for an app named "Till", so `till` on the command line and the desktop app share one store
 * without the CLI having to load Electron.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Till');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Till');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'Till');
}

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.TILL_DATA_DIR ?? defaultDataDir(env);
}
