import Store, { type Schema } from 'electron-store';

/**
 * Desktop-shell preferences: how the window looked when it was closed, and whether confirmed
 * payments show an OS notification. Nothing business-related lives here (chains, invoices, keys,
 * settings the engine acts on are in the engine's database); losing this file loses nothing but
 * a window position and that switch.
 */
export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}

interface PreferenceValues {
  windowBounds?: WindowBounds;
  lastRoute?: string;
  paymentNotifications?: boolean;
}

/** Hash routes only (`#/invoices/inv_123?status=paid`): safe to append to the entry URL. */
export const LAST_ROUTE_PATTERN = /^#\/[A-Za-z0-9/_.~?=&%-]{0,200}$/;

const schema: Schema<PreferenceValues> = {
  windowBounds: {
    type: 'object',
    properties: {
      x: { type: 'integer', minimum: -100_000, maximum: 100_000 },
      y: { type: 'integer', minimum: -100_000, maximum: 100_000 },
      width: { type: 'integer', minimum: 200, maximum: 100_000 },
      height: { type: 'integer', minimum: 200, maximum: 100_000 },
      maximized: { type: 'boolean' },
    },
    required: ['width', 'height'],
    additionalProperties: false,
  },
  lastRoute: { type: 'string', pattern: LAST_ROUTE_PATTERN.source },
  paymentNotifications: { type: 'boolean' },
};

export interface Preferences {
  windowBounds(): WindowBounds | undefined;
  saveWindowBounds(bounds: WindowBounds): void;
  lastRoute(): string | undefined;
  saveLastRoute(route: string): void;
  /** On unless turned off (tray or dock menu). */
  paymentNotifications(): boolean;
  savePaymentNotifications(on: boolean): void;
}

export interface PreferencesOptions {
  /** Folder of preferences.json (Till's data dir). */
  dir: string;
  log?(message: string, fields: Record<string, unknown>): void;
}

/**
 * Backed by electron-store (JSON schema-validated, atomic writes). A file that fails the schema
 * or does not parse is cleared rather than blocking start-up; a value that fails the schema is
 * not written.
 */
export function createPreferences(options: PreferencesOptions): Preferences {
  const store = new Store<PreferenceValues>({
    name: 'preferences',
    cwd: options.dir,
    schema,
    rootSchema: { additionalProperties: false },
    clearInvalidConfig: true,
    accessPropertiesByDotNotation: false,
  });
  const attempt = (key: string, write: () => void): void => {
    try {
      write();
    } catch (error) {
      options.log?.('preference not saved', { key, error: String(error) });
    }
  };
  return {
    windowBounds: () => store.get('windowBounds'),
    saveWindowBounds: (bounds) => attempt('windowBounds', () => store.set('windowBounds', bounds)),
    lastRoute: () => store.get('lastRoute'),
    saveLastRoute: (route) => {
      if (LAST_ROUTE_PATTERN.test(route)) attempt('lastRoute', () => store.set('lastRoute', route));
    },
    paymentNotifications: () => store.get('paymentNotifications') ?? true,
    savePaymentNotifications: (on) => attempt('paymentNotifications', () => store.set('paymentNotifications', on)),
  };
}
