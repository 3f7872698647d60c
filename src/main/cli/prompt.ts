import { createInterface } from 'node:readline';
import { TillError } from '../engine/lib/errors.ts';

/** Reads all of standard input (for `till wallet import < words.txt` or a pipe). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks on the terminal without echoing what is typed. */
export function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!process.stdin.isTTY) {
      reject(new Error('no terminal to ask on'));
      return;
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const output = rl as unknown as { _writeToOutput: (text: string) => void };
    process.stderr.write(question);
    output._writeToOutput = () => {};
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

/**
 * Asks a yes/no question on the terminal (default no). Without a terminal there is no one to
 * ask: the caller must have been told to go ahead (`--yes`), so this refuses.
 */
export function confirmOnTerminal(question: string, refusal: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new TillError('CONFIRMATION_REQUIRED', refusal);
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    rl.question(`${question} [y/N] `, (answer) => {
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
  });
}
