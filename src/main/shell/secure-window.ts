import { BrowserWindow, shell, type App, type Rectangle, type Session, type WebContents } from 'electron';
import { openExternalSafely } from './open-external.ts';

export interface NavigationPolicy {
  /** True for URLs of the app's own origin (app://till, or the dev server in development). */
  isAppUrl(url: string): boolean;
  log?(message: string, fields: Record<string, unknown>): void;
}

/**
 * Guards every webContents the app ever creates (windows, devtools, anything a future feature
 * adds): no <webview>, no new windows, no navigation away from the app's origin. A link to an
 * http(s) page is handed to the system browser instead. Installed once, before any window.
 */
export function installWebContentsHardening(app: App, policy: NavigationPolicy): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, policy));
}

export function hardenWebContents(contents: WebContents, policy: NavigationPolicy): void {
  const openOutside = (url: string): void => {
    openExternalSafely(url, {
      openExternal: (safeUrl) => shell.openExternal(safeUrl),
      onRefused: (raw) => policy.log?.('refused to open external URL', { url: raw }),
      onError: (safeUrl, error) => policy.log?.('could not open external URL', { url: safeUrl, error: String(error) }),
    });
  };

  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    policy.log?.('refused <webview>', {});
  });

  // <a target="_blank" href="https://…"> and window.open() both arrive here. No window is ever
  // created; an http(s) URL goes to the system browser, anything else is dropped.
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });

  contents.on('will-navigate', (event) => {
    if (policy.isAppUrl(event.url)) return;
    event.preventDefault();
    openOutside(event.url);
  });

  // Sub-frames navigate without 'will-navigate'; the CSP already confines them to 'self'.
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame || policy.isAppUrl(event.url)) return;
    event.preventDefault();
    policy.log?.('refused sub-frame navigation', { url: event.url });
  });

  contents.on('will-redirect', (event) => {
    if (policy.isAppUrl(event.url)) return;
    event.preventDefault();
    policy.log?.('refused redirect', { url: event.url });
  });
}

/**
 * Sets the CSP header on every response the session receives. app:// responses carry the same
 * header from the protocol handler, since custom-protocol responses do not reliably pass
 * through webRequest; in development this is what puts the CSP on the dev server's pages.
 */
export function installContentSecurityPolicy(session: Session, policy: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders = { ...details.responseHeaders };
    for (const name of Object.keys(responseHeaders)) {
      if (name.toLowerCase() === 'content-security-policy') delete responseHeaders[name];
    }
    responseHeaders['Content-Security-Policy'] = [policy];
    callback({ responseHeaders });
  });
}

export interface SecureWindowOptions {
  preloadPath: string;
  title: string;
  bounds?: Partial<Rectangle> | undefined;
  minWidth?: number;
  minHeight?: number;
}

/**
 * A BrowserWindow with the Electron security checklist applied: context isolation, OS-level
 * sandbox, no Node in the page, web security on, no insecure content, no <webview>. It is shown
 * once the first paint is ready, so no white flash.
 */
export function createSecureWindow(options: SecureWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: options.title,
    width: options.bounds?.width ?? 1200,
    height: options.bounds?.height ?? 800,
    ...(options.bounds?.x !== undefined && options.bounds?.y !== undefined ? { x: options.bounds.x, y: options.bounds.y } : {}),
    minWidth: options.minWidth ?? 800,
    minHeight: options.minHeight ?? 560,
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  return window;
}
