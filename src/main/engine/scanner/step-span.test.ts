import { describe, expect, it } from 'vitest';
import { createStepSpan } from './step-span.ts';

describe('createStepSpan', () => {
  it('doubles after quick full steps up to the most, halves after slow ones down to the least', () => {
    const span = createStepSpan({ first: 1_000, min: 100, max: 5_000, targetMs: 2_000 });
    const seen = [span.blocks];
    for (const ms of [100, 100, 100, 100]) {
      span.record(span.blocks, ms);
      seen.push(span.blocks);
    }
    expect(seen).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
    for (const ms of [5_000, 5_000, 5_000, 5_000, 5_000, 5_000]) span.record(span.blocks, ms);
    expect(span.blocks).toBe(100);
  });

  it('keeps its size after a step within the target, or one cut short by the head', () => {
    const span = createStepSpan({ first: 1_000, min: 100, max: 5_000, targetMs: 2_000 });
    span.record(1_000, 1_500);
    span.record(10, 1);
    expect(span.blocks).toBe(1_000);
  });

  it('keeps the first size within the bounds', () => {
    expect(createStepSpan({ first: 9_000, min: 100, max: 5_000, targetMs: 1 }).blocks).toBe(5_000);
    expect(createStepSpan({ first: 1, min: 100, max: 5_000, targetMs: 1 }).blocks).toBe(100);
    expect(createStepSpan({ first: 50, min: 100, max: 20, targetMs: 1 }).blocks).toBe(20);
  });
});
