import { describe, expect, it } from 'vitest';
import type { EventName, EventPayloads } from '../../shared/contract.ts';
import type { Invoice } from '../../shared/domain.ts';
import type { BackgroundWork, Notice } from './background-policy.ts';
import { createBackground, type BackgroundElectron, type MenuItemSpec } from './tray.ts';

/** A fake of the Electron parts tray.ts uses, recording what was done to them. */
function fakeElectron(platform: NodeJS.Platform, options: { trayFails?: boolean; notifications?: boolean } = {}) {
  const record = {
    quits: 0,
    trays: [] as { icon: string; toolTip: string; menu: MenuItemSpec[] | null; destroyed: boolean; click?: () => void }[],
    dockMenu: null as MenuItemSpec[] | null,
    shown: [] as (Notice & { click?: () => void })[],
  };
  const electron: BackgroundElectron = {
    platform,
    app: {
      quit: () => void record.quits++,
      dock: platform === 'darwin' ? { setMenu: (menu) => void (record.dockMenu = menu as MenuItemSpec[]) } : undefined,
    },
    createTray(icon) {
      if (options.trayFails) throw new Error('no StatusNotifier host');
      const tray: (typeof record.trays)[number] = { icon, toolTip: '', menu: null, destroyed: false };
      record.trays.push(tray);
      return {
        setToolTip: (text) => void (tray.toolTip = text),
        setContextMenu: (menu) => void (tray.menu = menu as MenuItemSpec[] | null),
        on: (_event, listener) => void (tray.click = listener),
        destroy: () => void (tray.destroyed = true),
      };
    },
    // The "menu" is its template: the tests click its items.
    buildMenu: (template) => template,
    notifications: {
      isSupported: () => options.notifications ?? true,
      create(notice) {
        const shown: (typeof record.shown)[number] = { ...notice };
        return {
          on: (_event, listener) => void (shown.click = listener),
          show: () => void record.shown.push(shown),
        };
      },
    },
  };
  return { electron, record };
}

function fakeWindow() {
  const state = {
    hidden: 0,
    minimized: 0,
    destroyed: false,
    closeListeners: [] as ((event: { preventDefault(): void }) => void)[],
  };
  const window = {
    on: (_event: 'close', listener: (event: { preventDefault(): void }) => void) => void state.closeListeners.push(listener),
    hide: () => void state.hidden++,
    minimize: () => void state.minimized++,
    isDestroyed: () => state.destroyed,
  };
  /** Clicks the close button; true when the window was allowed to close. */
  const close = (): boolean => {
    let prevented = false;
    for (const listener of state.closeListeners) listener({ preventDefault: () => (prevented = true) });
    return !prevented;
  };
  return { window, state, close };
}

function fakeEngineEvents() {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  return {
    subscribe<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
      for (const listener of listeners.get(event) ?? []) (listener as (payload: EventPayloads[E]) => void)(payload);
    },
    count: (event: EventName) => listeners.get(event)?.size ?? 0,
  };
}

const invoice = (status: Invoice['status'], id = 'inv_1'): Invoice =>
  ({
    id,
    status,
    exceptionStatus: null,
    token: { address: null, symbol: 'ETH', decimals: 18 },
    amountReceived: '0.05',
    orderId: 'order-7',
  }) as Invoice;

/** Lets the close handler's engine look (a promise) settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function setup(
  platform: NodeJS.Platform,
  work: BackgroundWork | Error,
  options: { trayFails?: boolean; notifications?: boolean } = {},
) {
  const { electron, record } = fakeElectron(platform, options);
  const events = fakeEngineEvents();
  const prefs = { notify: true };
  const calls = { showMainWindow: 0 };
  let quitting = false;
  const background = createBackground({
    electron,
    subscribe: events.subscribe,
    readWork: async () => {
      if (work instanceof Error) throw work;
      return work;
    },
    showMainWindow: () => void calls.showMainWindow++,
    isQuitting: () => quitting,
    trayIconPath: '/app/resources/tray.png',
    preferences: {
      paymentNotifications: () => prefs.notify,
      savePaymentNotifications: (on) => void (prefs.notify = on),
    },
  });
  const win = fakeWindow();
  background.attachWindow(win.window);
  // Electron emits before-quit, then closes every window: from then on they close for real.
  electron.app.quit = () => {
    record.quits++;
    quitting = true;
  };
  return { background, record, events, prefs, calls, win };
}

const item = (menu: MenuItemSpec[] | null, label: string) => {
  const found = menu?.find((entry) => 'label' in entry && entry.label === label);
  if (!found || !('click' in found)) throw new Error(`no menu item "${label}" in ${JSON.stringify(menu)}`);
  return found;
};
const labels = (menu: MenuItemSpec[] | null) => menu?.map((entry) => ('label' in entry ? entry.label : '—'));

describe('closing the main window', () => {
  it.each(['linux', 'win32'] as const)(
    '%s with an open invoice: hides to the tray, the engine keeps running',
    async (platform) => {
      const { win, record } = setup(platform, { openInvoices: 1, sweepsInFlight: 0 });
      expect(win.close()).toBe(false);
      await settle();
      expect(win.state.hidden).toBe(1);
      expect(record.quits).toBe(0);
      expect(record.trays[0]!.toolTip).toBe('Till: 1 open invoice');
    },
  );

  it('with a sweep in flight: hides to the tray', async () => {
    const { win, record } = setup('linux', { openInvoices: 0, sweepsInFlight: 1 });
    win.close();
    await settle();
    expect({ hidden: win.state.hidden, quits: record.quits }).toEqual({ hidden: 1, quits: 0 });
  });

  it('with nothing waiting: quits (the quit path stops the engine), then lets the window close', async () => {
    const { win, record } = setup('win32', { openInvoices: 0, sweepsInFlight: 0 });
    expect(win.close()).toBe(false);
    await settle();
    expect({ hidden: win.state.hidden, quits: record.quits }).toEqual({ hidden: 0, quits: 1 });
    expect(win.close()).toBe(true);
  });

  it('macOS: hides, and stays in the dock even when idle', async () => {
    const { win, record } = setup('darwin', { openInvoices: 0, sweepsInFlight: 0 });
    win.close();
    await settle();
    expect({ hidden: win.state.hidden, quits: record.quits, trays: record.trays.length }).toEqual({
      hidden: 1,
      quits: 0,
      trays: 0,
    });
  });

  it('when the engine cannot say what is open: stays rather than stop watching', async () => {
    const { win, record } = setup('linux', new Error('engine stopped'));
    win.close();
    await settle();
    expect({ hidden: win.state.hidden, quits: record.quits }).toEqual({ hidden: 1, quits: 0 });
  });

  it('the first time only, a notification says Till is still running', async () => {
    const { win, record } = setup('linux', { openInvoices: 2, sweepsInFlight: 1 });
    win.close();
    await settle();
    win.close();
    await settle();
    expect(win.state.hidden).toBe(2);
    expect(record.shown).toEqual([
      {
        title: 'Till is still running',
        body: 'It keeps watching 2 open invoices and 1 sweep in flight. Open it or quit it from the Till icon in the tray.',
        click: expect.any(Function),
      },
    ]);
  });

  it('without a tray icon (a desktop with no tray): minimizes instead of hiding where nothing could bring it back', async () => {
    const { win, record } = setup('linux', { openInvoices: 1, sweepsInFlight: 0 }, { trayFails: true });
    win.close();
    await settle();
    expect({ hidden: win.state.hidden, minimized: win.state.minimized, quits: record.quits }).toEqual({
      hidden: 0,
      minimized: 1,
      quits: 0,
    });
  });

  it('while quitting: the window closes at once, nothing is asked', () => {
    const { win, record, background } = setup('linux', { openInvoices: 1, sweepsInFlight: 0 });
    item(record.trays[0]!.menu, 'Quit Till').click();
    expect(win.close()).toBe(true);
    background.dispose();
    expect(win.close()).toBe(true);
  });
});

describe('the tray and dock menus', () => {
  it('Windows/Linux: a tray icon with Open Till, the notification switch and Quit Till', () => {
    const { record, calls } = setup('linux', { openInvoices: 0, sweepsInFlight: 0 });
    const tray = record.trays[0]!;
    expect(tray.icon).toBe('/app/resources/tray.png');
    expect(labels(tray.menu)).toEqual(['Open Till', 'Notify on confirmed payments', '—', 'Quit Till']);
    item(tray.menu, 'Open Till').click();
    tray.click!();
    expect(calls.showMainWindow).toBe(2);
  });

  it('Quit Till quits the app (whose before-quit stops the engine)', () => {
    const { record } = setup('win32', { openInvoices: 3, sweepsInFlight: 0 });
    item(record.trays[0]!.menu, 'Quit Till').click();
    expect(record.quits).toBe(1);
  });

  it('macOS: no tray; the dock menu has Open Till and the switch (the dock brings its own Quit)', () => {
    const { record, calls } = setup('darwin', { openInvoices: 0, sweepsInFlight: 0 });
    expect(record.trays).toEqual([]);
    expect(labels(record.dockMenu)).toEqual(['Open Till', 'Notify on confirmed payments']);
    item(record.dockMenu, 'Open Till').click();
    expect(calls.showMainWindow).toBe(1);
  });

  it('the switch turns notifications off and on, saved in preferences, the menu rebuilt with its state', () => {
    const { record, prefs } = setup('linux', { openInvoices: 0, sweepsInFlight: 0 });
    const checked = () => (item(record.trays[0]!.menu, 'Notify on confirmed payments') as { checked: boolean }).checked;
    expect(checked()).toBe(true);
    item(record.trays[0]!.menu, 'Notify on confirmed payments').click();
    expect({ pref: prefs.notify, checked: checked() }).toEqual({ pref: false, checked: false });
    item(record.trays[0]!.menu, 'Notify on confirmed payments').click();
    expect({ pref: prefs.notify, checked: checked() }).toEqual({ pref: true, checked: true });
  });

  it('dispose removes the tray icon and stops listening to the engine', () => {
    const { background, record, events } = setup('linux', { openInvoices: 0, sweepsInFlight: 0 });
    expect(events.count('invoice.changed')).toBe(1);
    background.dispose();
    expect(record.trays[0]!.destroyed).toBe(true);
    expect(events.count('invoice.changed')).toBe(0);
  });
});

describe('payment notifications', () => {
  it('one OS notification when an invoice becomes confirmed; a click opens the window', () => {
    const { record, events, calls } = setup('linux', { openInvoices: 0, sweepsInFlight: 0 });
    events.emit('invoice.changed', { invoice: invoice('detected') });
    events.emit('invoice.changed', { invoice: invoice('confirmed') });
    events.emit('invoice.changed', { invoice: invoice('settled') });
    expect(record.shown.map(({ title, body }) => ({ title, body }))).toEqual([
      { title: 'Payment confirmed', body: '0.05 ETH received for order order-7.' },
    ]);
    record.shown[0]!.click!();
    expect(calls.showMainWindow).toBe(1);
  });

  it('switched off: none', () => {
    const { record, events, prefs } = setup('win32', { openInvoices: 0, sweepsInFlight: 0 });
    prefs.notify = false;
    events.emit('invoice.changed', { invoice: invoice('confirmed') });
    expect(record.shown).toEqual([]);
  });

  it('where the OS has no notifications: none, and nothing breaks', () => {
    const { record, events } = setup('linux', { openInvoices: 0, sweepsInFlight: 0 }, { notifications: false });
    events.emit('invoice.changed', { invoice: invoice('confirmed') });
    expect(record.shown).toEqual([]);
  });
});
