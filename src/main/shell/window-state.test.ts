import { describe, expect, it } from 'vitest';
import { restorableBounds } from './window-state.ts';

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];

describe('restorableBounds', () => {
  it('keeps a position that is still on a screen', () => {
    expect(restorableBounds({ x: 100, y: 100, width: 1000, height: 700 }, screen)).toEqual({
      x: 100,
      y: 100,
      width: 1000,
      height: 700,
    });
  });

  it('drops the position of a window on a screen that is gone, keeping its size', () => {
    expect(restorableBounds({ x: 3000, y: 100, width: 1000, height: 700 }, screen)).toEqual({ width: 1000, height: 700 });
  });

  it('has nothing to restore on first start', () => {
    expect(restorableBounds(undefined, screen)).toBeUndefined();
  });
});
