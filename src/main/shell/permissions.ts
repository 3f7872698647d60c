import type { Session } from 'electron';
import { originOf } from './origin.ts';

/**
 * Till's UI needs no web permission except one: writing plain text to the clipboard, for the
 * Copy buttons next to addresses, payment URIs and API secrets. Chromium asks for
 * `clipboard-sanitized-write` on `navigator.clipboard.writeText`; it is granted only to our
 * own origin's main frame. Everything else (clipboard *read*, notifications, media, geolocation,
 * HID/USB/serial, fullscreen, openExternal for unknown protocols, …) is denied.
 *
 * Why allow the write at all: the alternative is a contract method that writes through
 * Electron's clipboard module, which grants a compromised renderer exactly the same power
 * (put text on the clipboard) through a wider door, and without Chromium's sanitizing.
 */
const ALLOWED_FOR_APP = new Set<string>(['clipboard-sanitized-write']);

export function installPermissionPolicy(session: Session, isAppOrigin: (origin: string) => boolean): void {
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    callback(ALLOWED_FOR_APP.has(permission) && details.isMainFrame && isAppOrigin(originOf(details.requestingUrl)));
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) => {
    return ALLOWED_FOR_APP.has(permission) && details.isMainFrame && isAppOrigin(originOf(requestingOrigin));
  });
  session.setDevicePermissionHandler(() => false);
  // No getDisplayMedia: answering with nothing rejects the page's request.
  session.setDisplayMediaRequestHandler((_request, callback) => callback(null));
}
