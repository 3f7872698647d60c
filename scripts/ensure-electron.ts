// Makes sure the Electron binary is there before electron-vite starts it (`npm start`, `npm run dev`).
// Electron ≥ 42 no longer downloads its binary at `npm install`, and electron-vite only reads
// node_modules/electron/path.txt (electron-vite#904): without this step a fresh checkout ends in
// "Error: Electron uninstall" and a stack trace. When the binary is missing this runs Electron's
// own installer (node_modules/electron/install.js, with its progress bar) once; when that download
// cannot happen it prints one message (what failed, why, what to do, the browser UI instead) and
// exits 1.
//
//   node scripts/ensure-electron.ts
//
// Environment: TILL_ELECTRON_DIR — the electron package folder (default: the one Node resolves
// from here; the tests point it at a copy); ELECTRON_EXEC_PATH — an Electron executable to use as
// is (electron-vite honours it too). Everything Electron's installer honours still applies:
// ELECTRON_MIRROR, ELECTRON_CUSTOM_DIR, electron_config_cache, ELECTRON_GET_USE_PROXY with
// HTTPS_PROXY / HTTP_PROXY / NO_PROXY, ELECTRON_GET_NO_PROGRESS.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { InstallReport } from './electron-install-report.ts';

const BROWSER_UI = 'Without the desktop app, use Till in a browser: npm run till -- serve (it prints the link to open).';

type Binary = { found: true; path: string } | { found: false; reason: string };

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function electronPackageDir(): string | undefined {
  if (process.env.TILL_ELECTRON_DIR) return process.env.TILL_ELECTRON_DIR;
  try {
    // Resolving package.json runs none of the package's code (its index.js would download).
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

/** The executable electron-vite will start: $ELECTRON_EXEC_PATH, else dist/ + path.txt. */
function findBinary(packageDir: string): Binary {
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return { found: false, reason: `${pathFile} is missing` };
  const executable = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return isExecutable(executable) ? { found: true, path: executable } : { found: false, reason: `${executable} is missing` };
}

interface InstallOutcome {
  status: number | null;
  reports: InstallReport[];
}

/**
 * Runs the installer with stdin, stdout and stderr on this terminal (its progress bar draws
 * there) and electron-install-report.ts on fd 3, which says what went wrong in a form this
 * script can put in words.
 */
function runInstaller(installScript: string): Promise<InstallOutcome> {
  const reportHook = pathToFileURL(join(import.meta.dirname, 'electron-install-report.ts')).href;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', reportHook, installScript], {
      stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
    });
    let buffered = '';
    child.stdio[3]!.on('data', (chunk: Buffer) => (buffered += chunk.toString('utf8')));
    child.on('error', (error) => resolve({ status: null, reports: [{ kind: 'error', text: error.message }] }));
    child.on('close', (status) => {
      const reports = buffered
        .split('\n')
        .filter((line) => line.trim() !== '')
        .flatMap((line): InstallReport[] => {
          try {
            return [JSON.parse(line) as InstallReport];
          } catch {
            return [];
          }
        });
      resolve({ status, reports });
    });
  });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

const CERTIFICATE_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Why the download failed, in words, from the last thing the installer reported. */
function explain(outcome: InstallOutcome, version: string): { tried?: string; why: string } {
  const failed = outcome.reports.findLast((r) => r.kind === 'fetch-failed' || r.kind === 'response');
  if (failed?.kind === 'fetch-failed') {
    const host = hostOf(failed.url);
    const code = failed.code ?? '';
    const why =
      code === 'ECONNREFUSED'
        ? `${host} refused the connection (ECONNREFUSED)`
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? `${host} could not be found (${code}): no internet connection, or no DNS`
          : ['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ENETUNREACH', 'EHOSTUNREACH'].includes(code)
            ? `${host} could not be reached (${code}): no internet connection, or a firewall`
            : CERTIFICATE_CODES.has(code)
              ? `${host}'s TLS certificate is not trusted (${code}): a proxy that inspects HTTPS? Give Node its certificate with NODE_EXTRA_CA_CERTS`
              : `${host}: ${failed.message}${code ? ` (${code})` : ''}`;
    return { tried: failed.url, why };
  }
  if (failed?.kind === 'response') {
    const notFound = failed.status === 404 ? `; does it serve Electron ${version}?` : '';
    return {
      tried: failed.url,
      why: `${hostOf(failed.url)} answered ${failed.status} ${failed.statusText}${notFound}`.trim(),
    };
  }
  const error = outcome.reports.findLast((r) => r.kind === 'error');
  const request = outcome.reports.findLast((r) => r.kind === 'request');
  const why =
    error?.kind === 'error'
      ? error.text.split('\n')[0]!.trim()
      : `the installer exited with ${outcome.status === null ? 'a signal' : `code ${outcome.status}`}`;
  return request?.kind === 'request' ? { tried: request.url, why } : { why };
}

/** What the merchant can change: their network settings, or the variables the installer reads. */
function advice(): string {
  const env = process.env;
  const proxy = env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
  if (env.ELECTRON_MIRROR) return `check ELECTRON_MIRROR (${env.ELECTRON_MIRROR}), or unset it to download from GitHub`;
  if (proxy && !env.ELECTRON_GET_USE_PROXY)
    return `a proxy is set (${proxy}) but the installer ignores it unless ELECTRON_GET_USE_PROXY=1 is set too`;
  return 'check the internet connection; behind a proxy set HTTPS_PROXY and ELECTRON_GET_USE_PROXY=1; or set ELECTRON_MIRROR to a mirror of Electron releases';
}

function fail(lines: string[]): never {
  console.error([...lines, BROWSER_UI].join('\n'));
  process.exit(1);
}

async function main(): Promise<void> {
  const override = process.env.ELECTRON_EXEC_PATH;
  if (override) {
    if (isExecutable(override)) return;
    fail([`Till: ELECTRON_EXEC_PATH is set to ${override}, which is not an executable file.`]);
  }

  const packageDir = electronPackageDir();
  if (!packageDir || !existsSync(join(packageDir, 'package.json')))
    fail(['Till: the electron package is not installed (node_modules/electron is missing). Run npm ci first.']);
  if (findBinary(packageDir).found) return;

  const version = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  console.log(`Electron ${version} is not downloaded yet: fetching it once with Electron's installer (about 100 MB)…`);
  const outcome = await runInstaller(join(packageDir, 'install.js'));
  const binary = findBinary(packageDir);
  if (outcome.status === 0 && binary.found) {
    console.log(`Electron ${version} is ready.`);
    return;
  }

  if (outcome.status === 0 && !binary.found)
    fail([`Till: Electron's installer finished, but the desktop app's binary is still not there: ${binary.reason}.`]);
  const { tried, why } = explain(outcome, version);
  fail([
    `Till: the desktop app needs Electron ${version}, and downloading it failed.`,
    ...(tried ? [`  Tried: ${tried}`] : []),
    `  Why:   ${why}`,
    `  Fix:   ${advice()}; then try again.`,
  ]);
}

await main();
