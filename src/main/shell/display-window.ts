/**
 * The customer display as a second window of the desktop app: fullscreen on an external screen
 * when there is one, else a normal window beside Till on the same screen. It follows screens
 * being plugged in and out, and closes with the main window and on quit.
 *
 * It takes the few Electron parts it uses as a small interface (DisplayWindowElectron), so the
 * behaviour is unit-tested against a fake; index.ts hands in the real screen and BrowserWindow.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Electron's Display, as far as placing a window goes. */
export interface ScreenInfo {
  id: number;
  bounds: Rect;
  workArea: Rect;
}

export type DisplayScreen = 'external' | 'same';

export interface DisplayPlacement {
  screen: DisplayScreen;
  displayId: number;
  bounds: Rect;
  fullscreen: boolean;
}

/** The display window's size when it shares the merchant's screen. */
export const SAME_SCREEN_SIZE = { width: 800, height: 600 } as const;

/**
 * Where the customer display goes: the first screen other than the main window's, fullscreen;
 * without one, a window of SAME_SCREEN_SIZE (shrunk to fit) centred on the main window's screen.
 * An unknown main display (the window gone) counts as the first screen.
 */
export function chooseDisplayPlacement(displays: readonly ScreenInfo[], mainDisplayId: number | undefined): DisplayPlacement {
  const first = displays[0];
  if (!first) throw new Error('no displays');
  const main = displays.find((display) => display.id === mainDisplayId) ?? first;
  const external = displays.find((display) => display.id !== main.id);
  if (external) return { screen: 'external', displayId: external.id, bounds: { ...external.bounds }, fullscreen: true };
  const area = main.workArea;
  const width = Math.min(SAME_SCREEN_SIZE.width, area.width);
  const height = Math.min(SAME_SCREEN_SIZE.height, area.height);
  return {
    screen: 'same',
    displayId: main.id,
    bounds: {
      x: area.x + Math.round((area.width - width) / 2),
      y: area.y + Math.round((area.height - height) / 2),
      width,
      height,
    },
    fullscreen: false,
  };
}

/** The display window, as far as this uses it (BrowserWindow satisfies it). */
export interface DisplayWindowLike {
  setFullScreen(flag: boolean): void;
  setBounds(bounds: Rect): void;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  close(): void;
  isDestroyed(): boolean;
  on(event: 'closed', listener: () => void): void;
}

export type ScreenEvent = 'display-added' | 'display-removed';

export interface DisplayWindowElectron {
  screen: {
    getAllDisplays(): ScreenInfo[];
    on(event: ScreenEvent, listener: () => void): void;
    removeListener(event: ScreenEvent, listener: () => void): void;
  };
  /** Creates the (hardened) window at this placement and starts loading display.html. */
  createWindow(placement: DisplayPlacement): DisplayWindowLike;
}

export interface DisplayWindowOptions {
  electron: DisplayWindowElectron;
  /** The id of the screen the main window is on; undefined when there is no main window. */
  mainDisplayId(): number | undefined;
  log?(message: string, fields: Record<string, unknown>): void;
}

export interface DisplayWindows {
  /** Opens the display window, or brings the open one forward; says which screen it is on. */
  open(): DisplayScreen;
  close(): void;
  isOpen(): boolean;
  /** Closes the window and stops following screens (the app quitting). */
  dispose(): void;
}

const SCREEN_EVENTS: readonly ScreenEvent[] = ['display-added', 'display-removed'];

export function createDisplayWindows(options: DisplayWindowOptions): DisplayWindows {
  const { electron } = options;
  let window: DisplayWindowLike | undefined;
  let placement: DisplayPlacement | undefined;
  let disposed = false;

  const place = (): DisplayPlacement => chooseDisplayPlacement(electron.screen.getAllDisplays(), options.mainDisplayId());

  const samePlace = (a: DisplayPlacement, b: DisplayPlacement): boolean => a.screen === b.screen && a.displayId === b.displayId;

  // A screen plugged in or out: an external one takes the display; without it, back beside Till.
  const follow = (): void => {
    if (!window || window.isDestroyed() || !placement) return;
    const next = place();
    if (samePlace(placement, next)) return;
    // A fullscreen window does not move: out of fullscreen, moved, then fullscreen there.
    window.setFullScreen(false);
    window.setBounds(next.bounds);
    if (next.fullscreen) window.setFullScreen(true);
    options.log?.('customer display moved', { screen: next.screen, displayId: next.displayId });
    placement = next;
  };

  const stopFollowing = (): void => {
    for (const event of SCREEN_EVENTS) electron.screen.removeListener(event, follow);
  };

  const close = (): void => {
    const open = window;
    window = undefined;
    placement = undefined;
    stopFollowing();
    if (open && !open.isDestroyed()) open.close();
  };

  return {
    open() {
      if (disposed) throw new Error('the display window is disposed');
      if (window && !window.isDestroyed() && placement) {
        if (window.isMinimized()) window.restore();
        window.show();
        window.focus();
        return placement.screen;
      }
      const next = place();
      const created = electron.createWindow(next);
      window = created;
      placement = next;
      created.on('closed', () => {
        if (window !== created) return;
        window = undefined;
        placement = undefined;
        stopFollowing();
      });
      for (const event of SCREEN_EVENTS) electron.screen.on(event, follow);
      return next.screen;
    },
    close,
    isOpen: () => window !== undefined && !window.isDestroyed(),
    dispose() {
      if (disposed) return;
      disposed = true;
      close();
    },
  };
}
