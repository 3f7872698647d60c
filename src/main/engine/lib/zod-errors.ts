import type { z } from 'zod';
import { ValidationError } from './errors.ts';

/** "chains[1].rpcUrls[0]" from zod's path array. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** One line per problem, each naming where it is: "amount: must be a decimal string". */
export function describeZodError(error: z.ZodError, subject = 'input'): string {
  const lines = error.issues.slice(0, 10).map((issue) => {
    const where = formatPath(issue.path);
    return where ? `${where}: ${issue.message}` : `${subject}: ${issue.message}`;
  });
  if (error.issues.length > 10) lines.push(`…and ${error.issues.length - 10} more problems`);
  return lines.join('; ');
}

export function validationErrorFrom(error: z.ZodError, subject = 'input'): ValidationError {
  return new ValidationError(
    `Invalid ${subject}: ${describeZodError(error, subject)}`,
    error.issues.slice(0, 20).map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
  );
}

/** Parses or throws a ValidationError that names each wrong field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, subject = 'input'): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationErrorFrom(result.error, subject);
  return result.data;
}
