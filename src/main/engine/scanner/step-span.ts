/**
 * Blocks per catch-up step, learned from how long full steps take: doubled after one that took
 * under half of `targetMs`, halved after one that took over twice that, within [min, max]. So a
 * fast node is scanned in large ranges (few fixed costs per block, few getLogs calls) and a slow
 * one still commits, and shows progress, every few seconds.
 *
 * @example
 * const span = createStepSpan({ first: 1_000, min: 100, max: 5_000, targetMs: 2_000 });
 * const to = Math.min(head, from + span.blocks - 1);
 * span.record(to - from + 1, performance.now() - started);
 */
export function createStepSpan(options: { first: number; min: number; max: number; targetMs: number }) {
  const max = Math.max(1, options.max);
  const min = Math.min(Math.max(1, options.min), max);
  let blocks = Math.min(Math.max(options.first, min), max);
  return {
    get blocks() {
      return blocks;
    },
    /** A step over `scanned` blocks took `ms`; steps cut short by the head teach nothing. */
    record(scanned: number, ms: number): void {
      if (scanned < blocks) return;
      if (ms < options.targetMs / 2) blocks = Math.min(max, blocks * 2);
      else if (ms > options.targetMs * 2) blocks = Math.max(min, Math.floor(blocks / 2));
    },
  };
}
export type StepSpan = ReturnType<typeof createStepSpan>;
