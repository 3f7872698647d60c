/**
 * Electron composition root: app lifecycle, the window, IPC. Everything Till does lives in the
 * engine; everything Electron-specific lives in ./shell. This file only wires them together.
 */
import { join, resolve } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  protocol,
  screen,
  session,
  Tray,
  type IpcMainInvokeEvent,
  type WebContents,
} from 'electron';
import type { MethodName } from '../shared/contract.ts';
import { createEngine, type Engine } from './engine/engine.ts';
import { defaultDataDir } from './engine/lib/data-dir.ts';
import { createLogger } from './engine/lib/logger.ts';
import {
  APP_DISPLAY_URL,
  APP_ENTRY_URL,
  APP_ORIGIN,
  APP_SCHEME,
  appScheme,
  createAppProtocolHandler,
} from './shell/app-protocol.ts';
import { readBackgroundWork } from './shell/background-policy.ts';
import { contentSecurityPolicy } from './shell/content-security-policy.ts';
import { createDisplayWindows, type DisplayPlacement, type DisplayWindows } from './shell/display-window.ts';
import { createExportFileChooser } from './shell/export-file-chooser.ts';
import { isAppMainFrame, isTrustedCall, registerIpc, type WindowRole } from './shell/ipc.ts';
import { originOf } from './shell/origin.ts';
import { installPermissionPolicy } from './shell/permissions.ts';
import { createPreferences, type Preferences } from './shell/preferences.ts';
import { createSecureWindow, installContentSecurityPolicy, installWebContentsHardening } from './shell/secure-window.ts';
import { createBackground, type Background } from './shell/tray.ts';
import { restorableBounds, trackWindowState } from './shell/window-state.ts';

const ENGINE_STOP_TIMEOUT_MS = 15_000;

// --- Before 'ready': these must run synchronously while the module loads. ---------------------

app.setName('Till');
// One folder for the engine's store and Chromium's profile. It is also what the single-instance
// lock keys on, so two TILL_DATA_DIRs (e.g. parallel e2e runs) are two independent instances.
const dataDir = resolve(process.env.TILL_DATA_DIR ?? defaultDataDir());
app.setPath('userData', dataDir);
app.enableSandbox();
protocol.registerSchemesAsPrivileged([appScheme]);

// The dev server URL is honoured only in an unpackaged build: a packaged Till always shows its
// own files, whatever the environment says.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL || undefined;
const appOrigin = devServerUrl ? originOf(devServerUrl) : APP_ORIGIN;
const isAppUrl = (url: string): boolean => originOf(url) === appOrigin;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  runApp();
}

function runApp(): void {
  const logger = createLogger({ dataDir });
  const shellLog = logger.child({ component: 'shell' });
  const log = (message: string, fields: Record<string, unknown>): void => shellLog.warn(fields, message);
  /**
   * webContents ids of the windows this file created, and what each is; only they may call the
   * contract, the customer display only display.state (see isTrustedCall).
   */
  const windowRoles = new Map<number, WindowRole>();
  let mainWindow: BrowserWindow | undefined;
  let displayWindows: DisplayWindows | undefined;
  let preferences: Preferences | undefined;
  let enginePromise: Promise<Engine> | undefined;
  let disposeIpc: (() => void) | undefined;
  let background: Background | undefined;
  let phase: 'running' | 'stopping' | 'stopped' = 'running';

  const isTrustedSender = (event: IpcMainInvokeEvent, method: MethodName): boolean =>
    isTrustedCall(windowRoles.get(event.sender.id), event.senderFrame, appOrigin, method);

  // Engine events carry invoices and more: the main window gets them, the customer display never.
  const eventTargets = (): WebContents[] =>
    BrowserWindow.getAllWindows()
      .map((window) => window.webContents)
      .filter(
        (contents) =>
          !contents.isDestroyed() && windowRoles.get(contents.id) === 'main' && isAppMainFrame(contents.mainFrame, appOrigin),
      );

  // electron-vite emits the sandboxed preload as CommonJS (see electron.vite.config.ts).
  const preloadPath = join(import.meta.dirname, '../preload/index.cjs');

  installWebContentsHardening(app, { isAppUrl, log });

  const openMainWindow = (prefs: Preferences): void => {
    const saved = prefs.windowBounds();
    const window = createSecureWindow({
      preloadPath,
      title: 'Till',
      bounds: restorableBounds(
        saved,
        screen.getAllDisplays().map((display) => display.workArea),
      ),
    });
    const contentsId = window.webContents.id;
    windowRoles.set(contentsId, 'main');
    mainWindow = window;
    if (saved?.maximized) window.once('ready-to-show', () => window.maximize());
    window.on('closed', () => {
      windowRoles.delete(contentsId);
      if (mainWindow === window) mainWindow = undefined;
      // The customer display closes with Till's window (hiding it to the background does not).
      displayWindows?.close();
    });
    trackWindowState(window, prefs);
    background?.attachWindow(window);
    window.webContents.on('render-process-gone', (_event, details) => shellLog.error({ details }, 'renderer process gone'));
    window.webContents.on('preload-error', (_event, preloadPath, error) =>
      shellLog.error({ preloadPath, error: String(error) }, 'preload failed'),
    );
    const url = (devServerUrl ?? APP_ENTRY_URL) + (prefs.lastRoute() ?? '');
    window.loadURL(url).catch((error: unknown) => shellLog.error({ url, error: String(error) }, 'could not load the UI'));
  };

  /** The customer display window: the same hardening and preload, display.html, no pairing. */
  const createDisplayWindow = (placement: DisplayPlacement): BrowserWindow => {
    const window = createSecureWindow({
      preloadPath,
      title: 'Till — customer display',
      bounds: placement.bounds,
      minWidth: 320,
      minHeight: 240,
    });
    const contentsId = window.webContents.id;
    windowRoles.set(contentsId, 'display');
    window.on('closed', () => windowRoles.delete(contentsId));
    if (placement.fullscreen) window.once('ready-to-show', () => window.setFullScreen(true));
    window.webContents.on('render-process-gone', (_event, details) =>
      shellLog.error({ details }, 'customer display renderer process gone'),
    );
    const url = devServerUrl ? new URL('/display.html', devServerUrl).href : APP_DISPLAY_URL;
    window
      .loadURL(url)
      .catch((error: unknown) => shellLog.error({ url, error: String(error) }, 'could not load the customer display'));
    return window;
  };

  const start = async (): Promise<void> => {
    await app.whenReady();
    const csp = contentSecurityPolicy(devServerUrl);
    installContentSecurityPolicy(session.defaultSession, csp);
    installPermissionPolicy(session.defaultSession, (origin) => origin === appOrigin);
    if (!devServerUrl) {
      protocol.handle(
        APP_SCHEME,
        createAppProtocolHandler({ root: join(import.meta.dirname, '../renderer'), contentSecurityPolicy: csp }),
      );
    }

    const windows = createDisplayWindows({
      electron: { screen, createWindow: createDisplayWindow },
      mainDisplayId: () =>
        mainWindow && !mainWindow.isDestroyed() ? screen.getDisplayMatching(mainWindow.getBounds()).id : undefined,
      log,
    });
    displayWindows = windows;

    enginePromise = createEngine({
      dataDir,
      host: 'desktop',
      logger,
      // The OS keychain needs no passphrase. For the file keystore the desktop has no terminal
      // to prompt on and the UI no unlock screen yet, so it comes from TILL_PASSPHRASE; without
      // it, wallet operations answer VAULT_LOCKED with that advice.
      passphrase: async () => process.env.TILL_PASSPHRASE ?? '',
      chooseExportFile: createExportFileChooser({
        showSaveDialog: (window, options) => (window ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options)),
        window: () => mainWindow,
        downloadsDir: () => app.getPath('downloads'),
      }),
      openDisplayWindow: async () => windows.open(),
    });
    const engine = await enginePromise;
    if (phase !== 'running') return;
    disposeIpc = registerIpc(engine, { ipcMain, isTrustedSender, eventTargets, log });
    preferences = createPreferences({ dir: dataDir, log });
    const prefs = preferences;
    background = createBackground({
      electron: {
        platform: process.platform,
        app,
        createTray: (iconPath) => new Tray(nativeImage.createFromPath(iconPath)),
        buildMenu: (template) => Menu.buildFromTemplate(template),
        notifications: {
          isSupported: () => Notification.isSupported(),
          create: (notice) => new Notification({ title: notice.title, body: notice.body }),
        },
      },
      subscribe: (event, listener) => engine.subscribe(event, listener),
      readWork: () => readBackgroundWork(engine),
      showMainWindow: () => {
        if (!mainWindow) return openMainWindow(prefs);
        if (mainWindow.isMinimized()) mainWindow.restore();
        mainWindow.show();
        mainWindow.focus();
      },
      isQuitting: () => phase !== 'running',
      // Beside its @2x twin, which Electron picks on a high-density screen. out/main → the
      // project's resources/ (there is no packaged build yet to ship it elsewhere).
      trayIconPath: join(import.meta.dirname, '../../resources/tray.png'),
      preferences: prefs,
      log,
    });
    openMainWindow(prefs);
  };

  const stop = async (): Promise<void> => {
    displayWindows?.dispose();
    displayWindows = undefined;
    background?.dispose();
    background = undefined;
    disposeIpc?.();
    disposeIpc = undefined;
    const engine = await enginePromise?.catch(() => undefined);
    if (engine) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolveTimeout) => {
        timer = setTimeout(() => resolveTimeout('timeout'), ENGINE_STOP_TIMEOUT_MS);
      });
      try {
        const outcome = await Promise.race([engine.stop().then(() => 'stopped' as const), timeout]);
        if (outcome === 'timeout')
          shellLog.error({ timeoutMs: ENGINE_STOP_TIMEOUT_MS }, 'engine did not stop in time; quitting anyway');
      } catch (error) {
        shellLog.error({ error: String(error) }, 'engine stop failed');
      } finally {
        clearTimeout(timer);
      }
    }
    await new Promise<void>((resolveFlush) => logger.flush(() => resolveFlush()));
  };

  // The engine owns a database and loops that must finish their transaction: every quit path
  // (menu, Cmd+Q, last window closed, SIGTERM) waits for engine.stop() once, then quits for real.
  app.on('before-quit', (event) => {
    if (phase === 'stopped') return;
    event.preventDefault();
    if (phase === 'stopping') return;
    phase = 'stopping';
    void stop().finally(() => {
      phase = 'stopped';
      app.quit();
    });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (phase === 'running' && preferences && BrowserWindow.getAllWindows().length === 0) openMainWindow(preferences);
  });

  start().catch((error: unknown) => {
    shellLog.fatal({ error: String(error), code: codeOf(error) }, 'Till could not start');
    dialog.showErrorBox('Till could not start', startFailureMessage(error));
    app.quit();
  });
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

function startFailureMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = codeOf(error);
  return `${message}${code ? `\n\nError code: ${code}` : ''}\n\nData folder: ${dataDir}\nThe log files are in its "logs" folder.`;
}
