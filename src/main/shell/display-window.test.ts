import { describe, expect, it } from 'vitest';
import {
  chooseDisplayPlacement,
  createDisplayWindows,
  SAME_SCREEN_SIZE,
  type DisplayPlacement,
  type DisplayWindowElectron,
  type Rect,
  type ScreenEvent,
  type ScreenInfo,
} from './display-window.ts';

const laptop: ScreenInfo = {
  id: 1,
  bounds: { x: 0, y: 0, width: 1440, height: 900 },
  workArea: { x: 0, y: 25, width: 1440, height: 875 },
};
const monitor: ScreenInfo = {
  id: 2,
  bounds: { x: 1440, y: 0, width: 1920, height: 1080 },
  workArea: { x: 1440, y: 0, width: 1920, height: 1040 },
};
const small: ScreenInfo = {
  id: 3,
  bounds: { x: 0, y: 0, width: 640, height: 480 },
  workArea: { x: 0, y: 0, width: 640, height: 440 },
};

describe('chooseDisplayPlacement', () => {
  it('an external screen: fullscreen there, whichever order the screens come in', () => {
    const expected = { screen: 'external', displayId: 2, bounds: monitor.bounds, fullscreen: true };
    expect(chooseDisplayPlacement([laptop, monitor], 1)).toEqual(expected);
    expect(chooseDisplayPlacement([monitor, laptop], 1)).toEqual(expected);
  });

  it('the main window on the monitor: the laptop screen is the external one', () => {
    expect(chooseDisplayPlacement([laptop, monitor], 2)).toMatchObject({ screen: 'external', displayId: 1 });
  });

  it('one screen: a normal window centred in its work area', () => {
    expect(chooseDisplayPlacement([laptop], 1)).toEqual({
      screen: 'same',
      displayId: 1,
      bounds: { x: 320, y: 163, ...SAME_SCREEN_SIZE },
      fullscreen: false,
    });
  });

  it('a screen smaller than the window: shrunk to its work area', () => {
    expect(chooseDisplayPlacement([small], 3).bounds).toEqual(small.workArea);
  });

  it('no main window: the first screen counts as the merchant’s', () => {
    expect(chooseDisplayPlacement([laptop, monitor], undefined)).toMatchObject({ screen: 'external', displayId: 2 });
    expect(chooseDisplayPlacement([laptop], 99)).toMatchObject({ screen: 'same', displayId: 1 });
  });
});

/** A fake of the Electron screen and windows display-window.ts uses, recording what was done. */
function fakeElectron(initial: ScreenInfo[]) {
  let displays = [...initial];
  const listeners = new Map<ScreenEvent, Set<() => void>>();
  const windows: {
    placement: DisplayPlacement;
    calls: string[];
    bounds: Rect;
    fullscreen: boolean;
    destroyed: boolean;
    minimized: boolean;
    closed?: () => void;
  }[] = [];
  const electron: DisplayWindowElectron = {
    screen: {
      getAllDisplays: () => displays,
      on: (event, listener) => {
        const set = listeners.get(event) ?? new Set();
        set.add(listener);
        listeners.set(event, set);
      },
      removeListener: (event, listener) => void listeners.get(event)?.delete(listener),
    },
    createWindow(placement) {
      const state: (typeof windows)[number] = {
        placement,
        calls: [],
        bounds: placement.bounds,
        fullscreen: placement.fullscreen,
        destroyed: false,
        minimized: false,
      };
      windows.push(state);
      const destroy = () => {
        state.destroyed = true;
        state.closed?.();
      };
      return {
        setFullScreen: (flag) => {
          state.calls.push(`fullscreen:${flag}`);
          state.fullscreen = flag;
        },
        setBounds: (bounds) => {
          state.calls.push('bounds');
          state.bounds = bounds;
        },
        isMinimized: () => state.minimized,
        restore: () => void state.calls.push('restore'),
        show: () => void state.calls.push('show'),
        focus: () => void state.calls.push('focus'),
        close: () => {
          state.calls.push('close');
          destroy();
        },
        isDestroyed: () => state.destroyed,
        on: (_event, listener) => void (state.closed = listener),
      };
    },
  };
  const emit = (event: ScreenEvent, next: ScreenInfo[]) => {
    displays = next;
    for (const listener of listeners.get(event) ?? []) listener();
  };
  const listenerCount = () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0);
  /** The user closing the window (its close button, Alt+F4). */
  const userCloses = (index: number) => {
    const state = windows[index]!;
    state.destroyed = true;
    state.closed?.();
  };
  return { electron, windows, emit, listenerCount, userCloses };
}

describe('createDisplayWindows', () => {
  it('opens fullscreen on the second screen and says so', () => {
    const fake = fakeElectron([laptop, monitor]);
    const displays = createDisplayWindows({ electron: fake.electron, mainDisplayId: () => 1 });
    expect(displays.open()).toBe('external');
    expect(fake.windows).toHaveLength(1);
    expect(fake.windows[0]!.placement).toMatchObject({ displayId: 2, fullscreen: true, bounds: monitor.bounds });
    expect(displays.isOpen()).toBe(true);
  });

  it('opens a normal window on the same screen without a second one', () => {
    const fake = fakeElectron([laptop]);
    const displays = createDisplayWindows({ electron: fake.electron, mainDisplayId: () => 1 });
    expect(displays.open()).toBe('same');
    expect(fake.windows[0]!.placement).toMatchObject({ displayId: 1, fullscreen: false });
  });

  it('a second open focuses the open window instead of creating another', () => {
    const fake = fakeElectron([laptop]);
    const displays = createDisplayWindows({ electron: fake.electron, mainDisplayId: () => 1 });
    displays.open();
    fake.windows[0]!.minimized = true;
    expect(displays.open()).toBe('same');
    expect(fake.windows).toHaveLength(1);
    expect(fake.windows[0]!.calls).toEqual(['restore', 'show', 'focus']);
  });

  it('a screen plugged in moves the window there, fullscreen; unplugged, back beside Till', () => {
    const fake = fakeElectron([laptop]);
    const displays = createDisplayWindows({ electron: fake.electron, mainDisplayId: () => 1 });
    displays.open();
    const window = fake.windows[0]!;

    fake.emit('display-added', [laptop, monitor]);
    expect(window.bounds).toEqual(monitor.bounds);
    expect(window.fullscreen).toBe(true);
    expect(window.calls).toEqual(['fullscreen:false', 'bounds', 'fullscreen:true']);
    expect(displays.open()).toBe('external');

    window.calls.length = 0;
    fake.emit('display-removed', [laptop]);
    expect(window.fullscreen).toBe(false);
    expect(window.bounds).toEqual(chooseDisplayPlacement([laptop], 1).bounds);
    expect(window.calls).toEqual(['fullscreen:false', 'bounds']);
    expect(displays.open()).toBe('same');
  });

  it('a screen change that leaves its place as it is does not touch the window', () => {
    const fake = fakeElectron([laptop, monitor]);
    const displays = createDisplayWindows({ electron: fake.electron, mainDisplayId: () => 1 });
    displays.open();
    fake.emit('display-added', [laptop, monitor, small]);
    expect(fake.windows[0]!.calls).toEqual([]);
  });

  it('closed by the user: stops following screens, and the next open makes a new window', () => {
    const fake = fakeElectron([laptop]);
    const displays = createDisplayWindows({ electron: fake.electron, mainDisplayId: () => 1 });
    displays.open();
    expect(fake.listenerCount()).toBe(2);
    fake.userCloses(0);
    expect(displays.isOpen()).toBe(false);
    expect(fake.listenerCount()).toBe(0);
    fake.emit('display-added', [laptop, monitor]);
    expect(fake.windows[0]!.calls).toEqual([]);
    expect(displays.open()).toBe('external');
    expect(fake.windows).toHaveLength(2);
  });

  it('close and dispose close the window; after dispose it does not open again', () => {
    const fake = fakeElectron([laptop, monitor]);
    const displays = createDisplayWindows({ electron: fake.electron, mainDisplayId: () => 1 });
    displays.open();
    displays.close();
    expect(fake.windows[0]!.destroyed).toBe(true);
    displays.open();
    displays.dispose();
    expect(fake.windows[1]!.calls).toEqual(['close']);
    expect(fake.listenerCount()).toBe(0);
    expect(() => displays.open()).toThrow();
    displays.dispose();
    expect(fake.windows[1]!.calls).toEqual(['close']);
  });
});
