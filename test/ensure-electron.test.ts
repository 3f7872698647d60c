/**
 * scripts/ensure-electron.ts, the first step of `npm start` and `npm run dev`, against copies of
 * the electron package in temp folders (TILL_ELECTRON_DIR): the real node_modules/electron is
 * never touched, and nothing leaves this machine (the mirror is a closed loopback port).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const SCRIPT = join(ROOT, 'scripts', 'ensure-electron.ts');
const REAL_ELECTRON = join(ROOT, 'node_modules', 'electron');

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  await new Promise<void>((closed) => server.close(() => closed()));
  return port;
}

/** The environment minus anything from the caller's npm or shell that would steer the installer elsewhere. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_config_electron_|npm_package_config_electron_|electron_|ELECTRON_)/i.test(key)) continue;
    if (/^(https?_proxy|all_proxy|no_proxy)$/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ELECTRON_GET_NO_PROGRESS: '1', ...extra };
}

function runScript(env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [SCRIPT], { env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('ensure-electron (npm start, npm run dev)', () => {
  let work: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'till-ensure-electron-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('binary absent and the download fails: one message naming the mirror and the browser UI, exit 1, no stack trace', async () => {
    // A copy of the electron package without its binary; its installer finds @electron/get
    // through a symlinked node_modules/@electron, exactly as in the checkout.
    const modules = join(work, 'absent', 'node_modules');
    const electronDir = join(modules, 'electron');
    mkdirSync(electronDir, { recursive: true });
    for (const file of ['package.json', 'install.js', 'checksums.json'])
      copyFileSync(join(REAL_ELECTRON, file), join(electronDir, file));
    symlinkSync(join(ROOT, 'node_modules', '@electron'), join(modules, '@electron'), 'junction');
    if (existsSync(join(ROOT, 'node_modules', '@electron-internal')))
      symlinkSync(join(ROOT, 'node_modules', '@electron-internal'), join(modules, '@electron-internal'), 'junction');

    const port = await closedPort();
    const mirror = `http://127.0.0.1:${port}/`;
    const { status, stdout, stderr } = runScript(
      cleanEnv({ TILL_ELECTRON_DIR: electronDir, ELECTRON_MIRROR: mirror, electron_config_cache: join(work, 'cache') }),
    );

    expect(status).toBe(1);
    expect(stdout).toContain('fetching it once');
    expect(stderr).toContain('downloading it failed');
    expect(stderr).toContain(`Tried: ${mirror}v`);
    expect(stderr).toContain('refused the connection (ECONNREFUSED)');
    expect(stderr).toContain('ELECTRON_MIRROR');
    expect(stderr).toContain('npm run till -- serve');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toMatch(/TypeError|fetch failed/);
    expect(stderr.trim().split('\n').length).toBeLessThanOrEqual(6);
    expect(existsSync(join(electronDir, 'path.txt'))).toBe(false);
  });

  it('binary present: exits 0 at once, without downloading', async () => {
    // No install.js in this copy: a download attempt could not even start.
    const electronDir = join(work, 'present', 'electron');
    mkdirSync(join(electronDir, 'dist'), { recursive: true });
    writeFileSync(join(electronDir, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1' }));
    writeFileSync(join(electronDir, 'path.txt'), 'electron');
    writeFileSync(join(electronDir, 'dist', 'electron'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(electronDir, 'dist', 'electron'), 0o755);

    const mirror = `http://127.0.0.1:${await closedPort()}/`;
    const { status, stdout, stderr } = runScript(cleanEnv({ TILL_ELECTRON_DIR: electronDir, ELECTRON_MIRROR: mirror }));

    expect({ status, stdout, stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  });
});
