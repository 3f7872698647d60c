/**
 * The renderer's Content Security Policy. Production serves everything from app://till, so
 * 'self' covers scripts, styles, images and fetches; nothing is inline, nothing is remote.
 *
 * The dev server (electron-vite dev) needs three relaxations, and only there:
 * - `script-src 'unsafe-inline'`: @vitejs/plugin-react injects an inline React Refresh preamble;
 * - `style-src 'unsafe-inline'`: Vite injects imported CSS as <style> elements for HMR;
 * - `connect-src ws://<dev host>`: the HMR websocket.
 *
 * Style *properties* set from script (React's `style={{…}}`) go through CSSOM and are allowed by
 * `style-src 'self'`; only <style> elements and `style="…"` markup would need 'unsafe-inline'.
 */
export function contentSecurityPolicy(devServerUrl?: string): string {
  const dev = devServerUrl === undefined ? undefined : new URL(devServerUrl);
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    'style-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    'img-src': ["'self'", 'data:'],
    'connect-src': dev ? ["'self'", `${dev.protocol === 'https:' ? 'wss:' : 'ws:'}//${dev.host}`] : ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
