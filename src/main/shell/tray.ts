/**
 * Till in the background: the main window's close button hides it while there is work (see
 * background-policy.ts), a tray icon (Windows, Linux) or the dock menu (macOS) with "Open Till",
 * the payment-notification switch and "Quit Till", and an OS notification per confirmed payment.
 *
 * It takes the few Electron parts it uses as a small interface (BackgroundElectron), so the
 * behaviour is unit-tested against a fake; index.ts hands in the real Tray, Menu, Notification.
 */
import type { EventName, EventPayloads } from '../../shared/contract.ts';
import {
  createPaymentNotifier,
  decideOnClose,
  keptRunningNotice,
  trayToolTip,
  type BackgroundWork,
  type Notice,
} from './background-policy.ts';

/** Electron's MenuItemConstructorOptions, as far as this uses them. */
export type MenuItemSpec =
  | { type?: 'normal'; label: string; click(): void }
  | { type: 'checkbox'; label: string; checked: boolean; click(): void }
  | { type: 'separator' };

/** Opaque: whatever buildMenu returns goes back into setContextMenu / dock.setMenu. */
export type MenuHandle = object;

export interface TrayLike {
  setToolTip(toolTip: string): void;
  setContextMenu(menu: MenuHandle | null): void;
  on(event: 'click', listener: () => void): void;
  destroy(): void;
}

export interface NotificationLike {
  on(event: 'click', listener: () => void): void;
  show(): void;
}

/** The main window, as far as closing it goes (BrowserWindow satisfies it). */
export interface WindowLike {
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): void;
  hide(): void;
  minimize(): void;
  isDestroyed(): boolean;
}

export interface BackgroundElectron {
  platform: NodeJS.Platform;
  app: {
    quit(): void;
    /** macOS only. */
    dock?: { setMenu(menu: MenuHandle): void } | undefined;
  };
  createTray(iconPath: string): TrayLike;
  buildMenu(template: MenuItemSpec[]): MenuHandle;
  notifications: { isSupported(): boolean; create(notice: Notice): NotificationLike };
}

export interface BackgroundOptions {
  electron: BackgroundElectron;
  /** The engine's events, as `engine.subscribe`. */
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
  /** Rejects when the engine cannot say (the decision then keeps Till running). */
  readWork(): Promise<BackgroundWork>;
  /** Shows, restores and focuses the main window, opening one if there is none. */
  showMainWindow(): void;
  /** True once a quit is under way: windows then close for real. */
  isQuitting(): boolean;
  trayIconPath: string;
  preferences: { paymentNotifications(): boolean; savePaymentNotifications(on: boolean): void };
  log?(message: string, fields: Record<string, unknown>): void;
}

export interface Background {
  /** Makes the window's close button follow the background policy. */
  attachWindow(window: WindowLike): void;
  dispose(): void;
}

export function createBackground(options: BackgroundOptions): Background {
  const { electron } = options;
  const usesTray = electron.platform !== 'darwin';
  let tray: TrayLike | undefined;
  let toldKeptRunning = false;
  let disposed = false;

  const notify = (notice: Notice): void => {
    if (!electron.notifications.isSupported()) return;
    try {
      const notification = electron.notifications.create(notice);
      notification.on('click', () => options.showMainWindow());
      notification.show();
    } catch (error) {
      options.log?.('notification not shown', { error: String(error) });
    }
  };

  const menuTemplate = (): MenuItemSpec[] => [
    { label: 'Open Till', click: () => options.showMainWindow() },
    {
      type: 'checkbox',
      label: 'Notify on confirmed payments',
      checked: options.preferences.paymentNotifications(),
      click: () => {
        options.preferences.savePaymentNotifications(!options.preferences.paymentNotifications());
        installMenu();
      },
    },
    // macOS puts Quit in every dock menu itself.
    ...(usesTray ? ([{ type: 'separator' }, { label: 'Quit Till', click: () => electron.app.quit() }] as const) : []),
  ];

  // Built anew on every change: on Linux a context menu changed in place does not update.
  const installMenu = (): void => {
    if (disposed) return;
    const menu = electron.buildMenu(menuTemplate());
    if (tray) tray.setContextMenu(menu);
    else electron.app.dock?.setMenu(menu);
  };

  const refreshToolTip = (work: BackgroundWork | undefined): void => tray?.setToolTip(trayToolTip(work));

  if (usesTray) {
    try {
      tray = electron.createTray(options.trayIconPath);
      tray.setToolTip(trayToolTip(undefined));
      // Windows and most Linux trays open the window on a click; the menu is on right-click.
      tray.on('click', () => options.showMainWindow());
    } catch (error) {
      // A desktop without a tray (some Linux sessions): closing then quits as usual when idle.
      options.log?.('no tray icon', { error: String(error) });
    }
  }
  installMenu();

  const notifier = createPaymentNotifier();
  const unsubscribe = options.subscribe('invoice.changed', ({ invoice }) => {
    const notice = notifier.noticeFor(invoice);
    if (notice && options.preferences.paymentNotifications()) notify(notice);
  });

  const closeToBackground = async (window: WindowLike): Promise<void> => {
    const work = await options.readWork().catch((error: unknown) => {
      options.log?.('could not read open invoices and sweeps; staying open', { error: String(error) });
      return undefined;
    });
    if (options.isQuitting() || window.isDestroyed()) return;
    const decision = decideOnClose(work, electron.platform);
    if (decision.action === 'quit') {
      electron.app.quit();
      return;
    }
    // Hidden without a tray icon the window could only come back by starting Till again: it
    // goes to the taskbar instead.
    if (usesTray && !tray) {
      window.minimize();
      return;
    }
    window.hide();
    refreshToolTip(work);
    if (usesTray && !toldKeptRunning) {
      toldKeptRunning = true;
      notify(keptRunningNotice(work));
    }
  };

  return {
    attachWindow(window) {
      window.on('close', (event) => {
        if (options.isQuitting() || disposed) return;
        // Decided after a look at the engine, which is asynchronous; close() cannot wait for it.
        event.preventDefault();
        void closeToBackground(window);
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      unsubscribe();
      tray?.destroy();
      tray = undefined;
    },
  };
}
