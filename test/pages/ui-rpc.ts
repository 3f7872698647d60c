import type { Page } from 'playwright-core';
import type { MethodInput, MethodName, MethodOutput } from '../../src/shared/contract.ts';

/**
 * Calls a UI contract method from inside the page, with the browser's own session cookie: the
 * same route the renderer uses, for checks the screen does not show (exact payment counts).
 */
export async function uiCall<M extends MethodName>(page: Page, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await page.evaluate(
    async ({ method, input }) => {
      const response = await fetch(`/ui/rpc/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      return (await response.json()) as { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
    },
    { method, input },
  );
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value as MethodOutput<M>;
}
