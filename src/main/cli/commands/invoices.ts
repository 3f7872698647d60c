import { Command } from 'commander';
import { print, withEngine } from '../context.ts';

export function registerInvoiceCommands(program: Command): void {
  const invoices = program.command('invoices').description('look at and repair invoices');

  invoices
    .command('show')
    .description('print an invoice as the API shows it, with its payments')
    .argument('<id>', 'invoice id')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withEngine(command, {}, async (engine) =>
        print(JSON.stringify(await engine.invoke('invoices.get', { id }), null, 2)),
      );
    });

  invoices
    .command('recheck')
    .description("scan the invoice's address from its creation block to the head and record what is missing")
    .argument('<id>', 'invoice id')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const { invoice, paymentsFound } = await engine.invoke('invoices.recheck', { id });
        print(
          `${paymentsFound} new payment(s) found. Invoice ${invoice.id} is ${invoice.status}${invoice.exceptionStatus ? ` (${invoice.exceptionStatus})` : ''}, received ${invoice.amountReceived} of ${invoice.amount} ${invoice.token.symbol}.`,
        );
      });
    });

  for (const [name, method, description] of [
    ['mark-invalid', 'invoices.markInvalid', 'mark an invoice invalid (final; audited)'],
    ['mark-paid', 'invoices.markPaid', 'mark an invoice paid by hand (audited, flagged manual)'],
  ] as const) {
    invoices
      .command(name)
      .description(description)
      .argument('<id>', 'invoice id')
      .requiredOption('--reason <text>', 'why (goes into the operator log)')
      .action(async (id: string, options: { reason: string }, command: Command) => {
        await withEngine(command, {}, async (engine) => {
          const invoice = await engine.invoke(method, { id, reason: options.reason });
          print(`Invoice ${invoice.id} is now ${invoice.status}.`);
        });
      });
  }
}
