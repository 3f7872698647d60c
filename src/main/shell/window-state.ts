import type { BrowserWindow, Rectangle } from 'electron';
import type { Preferences, WindowBounds } from './preferences.ts';

/**
 * The saved bounds if the window would still be reachable (its title bar overlaps some
 * display's work area by a usable amount), else only the saved size, so the OS centres it.
 * Screens get unplugged; a window restored onto a monitor that is gone cannot be dragged back.
 */
export function restorableBounds(saved: WindowBounds | undefined, workAreas: Rectangle[]): Partial<Rectangle> | undefined {
  if (!saved) return undefined;
  const size = { width: saved.width, height: saved.height };
  if (saved.x === undefined || saved.y === undefined) return size;
  const { x, y } = saved;
  const titleBar = { x, y, width: saved.width, height: 40 };
  const reachable = workAreas.some((area) => {
    const overlapX = Math.min(titleBar.x + titleBar.width, area.x + area.width) - Math.max(titleBar.x, area.x);
    const overlapY = Math.min(titleBar.y + titleBar.height, area.y + area.height) - Math.max(titleBar.y, area.y);
    return overlapX >= 100 && overlapY >= 20;
  });
  return reachable ? { ...size, x, y } : size;
}

/** Saves the window's normal (un-maximized) bounds when it closes, and hash-route changes. */
export function trackWindowState(window: BrowserWindow, preferences: Preferences): void {
  window.on('close', () => {
    const { x, y, width, height } = window.getNormalBounds();
    preferences.saveWindowBounds({ x, y, width, height, maximized: window.isMaximized() });
  });
  window.webContents.on('did-navigate-in-page', (_event, url, isMainFrame) => {
    if (!isMainFrame) return;
    const hash = new URL(url).hash;
    if (hash) preferences.saveLastRoute(hash);
  });
}
