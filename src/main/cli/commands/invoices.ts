import { Command, Option } from 'commander';
import { formatPrice, type ShopCurrency } from '../../../shared/currencies.ts';
import type { Invoice } from '../../../shared/domain.ts';
import { TillError } from '../../engine/lib/errors.ts';
import { print, withEngine } from '../context.ts';
import { parseWholeNumber } from './chains.ts';

interface CreateOptions {
  chainId: number;
  token: string;
  amount?: string;
  price?: string;
  currency?: string;
  order?: string;
  expires?: number;
  json?: boolean;
}

/** What a merchant at a terminal needs of a new invoice: what to pay, where, and the link. */
function describeInvoice(invoice: Invoice): string[] {
  const lines = [
    `Invoice ${invoice.id} (${invoice.status}): ${invoice.price ? `${formatPrice(invoice.price)} = ` : ''}${invoice.amount} ${invoice.token.symbol} on chain ${invoice.chainId}`,
  ];
  if (invoice.rate && invoice.price)
    lines.push(
      `Rate: 1 ${invoice.token.symbol} = ${invoice.rate.value} ${invoice.price.currency} (${invoice.rate.source}, ${invoice.rate.at})`,
    );
  lines.push(`Pay to: ${invoice.address}`, `Payment URI: ${invoice.paymentUri}`, `Expires: ${invoice.expiresAt}`);
  if (invoice.checkoutUrl) lines.push(`Checkout page: ${invoice.checkoutUrl}`);
  return lines;
}

export function registerInvoiceCommands(program: Command): void {
  const invoices = program.command('invoices').description('look at and repair invoices');

  invoices
    .command('create')
    .description("create an invoice for a token amount, or for a price in the shop's currency (converted at a locked rate)")
    .addOption(
      new Option('--chain-id <id>', 'the chain id, e.g. 8453 for Base')
        .argParser(parseWholeNumber('--chain-id'))
        .makeOptionMandatory(),
    )
    .requiredOption('--token <token>', '"native", a token symbol such as USDC, or its address')
    .option('--amount <decimal>', 'the amount in token units, e.g. 12.50')
    .option('--price <decimal>', "a price instead of an amount, e.g. 12.50 (in --currency, default the shop's)")
    .option('--currency <code>', 'the price currency: USD, EUR, GBP, CHF, JPY, CAD or AUD')
    .option('--order <id>', 'your order reference')
    .addOption(
      new Option('--expires <seconds>', 'seconds until it expires (default 3600)').argParser(parseWholeNumber('--expires')),
    )
    .option('--json', 'print the invoice object as the API returns it')
    .action(async (options: CreateOptions, command: Command) => {
      if ((options.amount === undefined) === (options.price === undefined))
        throw new TillError('VALIDATION_FAILED', 'Give either --amount (token units) or --price (shop currency), not both.');
      if (options.currency !== undefined && options.price === undefined)
        throw new TillError('VALIDATION_FAILED', '--currency goes with --price.');
      await withEngine(command, {}, async (engine) => {
        const currency = options.currency?.toUpperCase() ?? (await engine.invoke('shop.get', {})).currency;
        const invoice = await engine.invoke('invoices.create', {
          chainId: options.chainId,
          token: options.token,
          ...(options.price !== undefined
            ? { price: { amount: options.price, currency: currency as ShopCurrency } }
            : { amount: options.amount }),
          ...(options.order ? { orderId: options.order } : {}),
          ...(options.expires !== undefined ? { expiresInSeconds: options.expires } : {}),
        });
        print(options.json ? JSON.stringify(invoice, null, 2) : describeInvoice(invoice).join('\n'));
      });
    });

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
