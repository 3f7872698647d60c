import { chainPresets } from '../../../shared/chain-presets.ts';
import type { MethodName, MethodOutput, MethodParsed } from '../../../shared/contract.ts';
import type { EngineContext } from '../engine-context.ts';
import { createApiKey, revokeApiKey } from '../access/api-keys.ts';
import { createInvoiceFromRequest } from '../invoices/create-invoice.ts';
import { setShopCurrency, shopSettings } from '../rates/shop-currency.ts';
import { loadInvoiceView } from '../invoices/invoice-view.ts';
import { generateMnemonic } from '../wallet/mnemonic.ts';
import { addToken, removeChain, removeToken, saveChain, setChainEnabled } from './chain-ops.ts';
import { getInvoice, invoiceQrSvg, listInvoices } from './invoice-ops.ts';
import { saveWallet, setTreasury, walletStatus } from './wallet-ops.ts';
import { acknowledgeAlert, rescanChain, setChainPaused } from './troubleshooting-ops.ts';
import { testRpcUrl } from '../chains/rpc/test-rpc-url.ts';
import { recheckInvoice } from '../scanner/recheck-invoice.ts';
import { markInvoiceInvalid, markInvoicePaid } from '../invoices/invoice-state.ts';
import { isoTime } from '../lib/clock.ts';
import { endpointUrls } from '../webhooks/webhook-views.ts';
import { createWebhookOperations } from './webhook-ops.ts';
import { createSweepOperations } from './sweep-ops.ts';
import { runDoctor } from '../doctor/doctor.ts';
import { createCustomerDisplay } from '../display/customer-display.ts';
import { DisplayWindowUnavailableError } from '../display/display-errors.ts';
import { exportFileName } from '../../../shared/exports.ts';
import { ExportUnavailableError } from '../exports/export-errors.ts';
import { saveExport } from '../exports/save-export.ts';
import { reportSummary } from '../reports/report-summary.ts';
import { qrSvg } from '../invoices/qr.ts';

export type Operations = {
  [M in MethodName]: (input: MethodParsed<M>) => MethodOutput<M> | Promise<MethodOutput<M>>;
};

/** The engine's operations behind the contract: plain functions, validated input in, data out. */
export function createOperations(ctx: EngineContext): Operations {
  const { store, clock } = ctx;
  const operator = { actor: ctx.actor };
  const display = createCustomerDisplay(store);
  return {
    'app.info': () => ({ version: ctx.version, host: ctx.host, dataDir: ctx.dataDir }),
    'engine.status': () => ctx.status(),

    'wallet.status': () => walletStatus(store),
    'wallet.generateMnemonic': () => ({ mnemonic: generateMnemonic() }),
    'wallet.create': async (input) => {
      const status = await saveWallet(ctx.walletDeps, input);
      ctx.statusChanged();
      return status;
    },
    'wallet.import': async (input) => {
      const status = await saveWallet(ctx.walletDeps, input);
      ctx.statusChanged();
      return status;
    },
    'wallet.setTreasury': ({ address }) => {
      const status = setTreasury(store, address);
      ctx.statusChanged();
      return status;
    },

    'chains.list': () => store.chains.list(),
    'chains.presets': () => chainPresets,
    'chains.save': (input) => {
      const chain = saveChain(store, clock, input);
      ctx.statusChanged();
      return chain;
    },
    'chains.setEnabled': ({ chainId, enabled }) => {
      const chain = setChainEnabled(store, clock, chainId, enabled);
      ctx.statusChanged();
      return chain;
    },
    'chains.remove': ({ chainId }) => {
      const result = removeChain(store, chainId);
      ctx.statusChanged();
      return result;
    },
    'tokens.add': ({ chainId, token }) => addToken(store, chainId, token),
    'tokens.remove': ({ chainId, address }) => removeToken(store, chainId, address),

    'invoices.create': async (input) => {
      const { invoice } = await createInvoiceFromRequest(ctx.invoiceDeps, input);
      ctx.outboxWritten();
      return loadInvoiceView(store, invoice);
    },
    'invoices.get': ({ id }) => getInvoice(store, id),
    'invoices.list': (input) => listInvoices(store, input),
    'invoices.qrSvg': ({ id }) => invoiceQrSvg(store, id),

    'chains.health': () => ctx.chainHealth(),
    'chains.rescan': (input) => {
      const result = rescanChain(store, clock, operator, input);
      ctx.wakeChain(input.chainId);
      return result;
    },
    'chains.pause': ({ chainId }) => setChainPaused(store, clock, operator, chainId, true),
    'chains.resume': ({ chainId }) => {
      const chain = setChainPaused(store, clock, operator, chainId, false);
      ctx.wakeChain(chainId);
      return chain;
    },
    'chains.testRpc': ({ chainId, url }) => testRpcUrl(url, chainId),

    'invoices.recheck': async ({ id }) => {
      const rpc = ctx.rpcFor(getInvoice(store, id).chainId);
      try {
        const paymentsFound = await recheckInvoice({ store, clock, rpc: rpc.pool }, id, ctx.signal);
        store.operatorLog.record(
          { actor: operator.actor, action: 'invoice.recheck', target: id, details: { paymentsFound } },
          isoTime(clock.now()),
        );
        ctx.outboxWritten();
        return { invoice: getInvoice(store, id), paymentsFound };
      } finally {
        rpc.close();
      }
    },
    'invoices.markInvalid': ({ id, reason }) => {
      markInvoiceInvalid({ store, clock }, { invoiceId: id, reason, actor: operator.actor });
      ctx.outboxWritten();
      return getInvoice(store, id);
    },
    'invoices.markPaid': ({ id, reason }) => {
      markInvoicePaid({ store, clock }, { invoiceId: id, reason, actor: operator.actor });
      ctx.outboxWritten();
      return getInvoice(store, id);
    },
    'invoices.events': ({ id }) => {
      getInvoice(store, id);
      const url = endpointUrls(store);
      const deliveries = new Map<string, ReturnType<typeof store.webhookDeliveries.forInvoice>>();
      for (const delivery of store.webhookDeliveries.forInvoice(id))
        deliveries.set(delivery.eventId, [...(deliveries.get(delivery.eventId) ?? []), delivery]);
      return store.events.listForInvoice(id).map((event) => ({
        id: event.id,
        type: event.type,
        sequence: event.sequence,
        createdAt: event.createdAt,
        deliveries: (deliveries.get(event.id) ?? []).map((delivery) => ({
          id: delivery.id,
          endpointId: delivery.endpointId,
          endpointUrl: url(delivery.endpointId),
          status: delivery.status,
          attempts: delivery.attempts,
          redelivery: delivery.redelivery,
          lastHttpStatus: delivery.lastHttpStatus,
        })),
      }));
    },

    'alerts.list': ({ includeAcknowledged, limit }) =>
      store.alerts.list({ includeAcknowledged: includeAcknowledged ?? false, limit: limit ?? 100 }),
    'alerts.acknowledge': ({ id }) => {
      const alert = acknowledgeAlert(store, clock, operator, id);
      ctx.statusChanged();
      return alert;
    },
    'operatorLog.list': ({ limit }) => store.operatorLog.list(limit ?? 100),

    ...createWebhookOperations(ctx),
    ...createSweepOperations(ctx),

    'doctor.run': () => runDoctor(ctx),
    'backups.overview': () => ctx.backups.overview(),
    'backups.create': async () => {
      const info = await ctx.backups.backUpNow();
      store.operatorLog.record({ ...operator, action: 'backups.create', target: info.name, details: null }, isoTime(clock.now()));
      return info;
    },
    'shop.get': () => shopSettings(store),
    'shop.setCurrency': ({ currency }) => {
      const settings = setShopCurrency(store, currency);
      store.operatorLog.record(
        { ...operator, action: 'shop.setCurrency', target: currency, details: null },
        isoTime(clock.now()),
      );
      return settings;
    },
    'exports.save': async ({ kind, from, to }) => {
      if (!ctx.chooseExportFile) throw new ExportUnavailableError();
      const range = { from, to };
      const file = await ctx.chooseExportFile(exportFileName(kind, range, isoTime(clock.now())));
      if (file === null) return { saved: false as const };
      const rows = await saveExport(ctx.databaseFile, kind, range, file);
      store.operatorLog.record(
        { ...operator, action: 'exports.save', target: kind, details: { from: from ?? null, to: to ?? null, rows } },
        isoTime(clock.now()),
      );
      return { saved: true as const, path: file, rows };
    },
    'reports.summary': (period) => reportSummary(store.db, period),
    'display.state': async () => {
      const state = display.state(clock.now());
      const pairedDisplays = display.pairedDisplays(clock.now());
      // The checkout view's QR link is a till serve path; the desktop's display window has no
      // server to fetch it from, so the QR travels inline (its CSP allows data: images).
      if (!ctx.openDisplayWindow || !state.invoice) return { ...state, pairedDisplays };
      const qrUrl = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(await qrSvg(state.invoice.paymentUri))}`;
      return { ...state, invoice: { ...state.invoice, qrUrl }, pairedDisplays };
    },
    'display.show': ({ invoiceId }) => {
      display.show(invoiceId);
      return { invoiceId };
    },
    'display.clear': () => {
      display.clear();
      return { cleared: true as const };
    },
    'display.pair': () => {
      const pairing = display.pair(clock.now());
      store.operatorLog.record({ ...operator, action: 'display.pair', target: null, details: null }, isoTime(clock.now()));
      return pairing;
    },
    'display.openWindow': async () => {
      if (!ctx.openDisplayWindow) throw new DisplayWindowUnavailableError();
      return { opened: true, screen: await ctx.openDisplayWindow() };
    },
    'display.unpairAll': () => {
      display.unpairAll();
      store.operatorLog.record({ ...operator, action: 'display.unpairAll', target: null, details: null }, isoTime(clock.now()));
      return { unpaired: true as const };
    },
    'backups.setKeep': ({ keep }) => {
      ctx.backups.setKeep(keep);
      store.operatorLog.record(
        { ...operator, action: 'backups.setKeep', target: String(keep), details: null },
        isoTime(clock.now()),
      );
      return ctx.backups.overview();
    },

    'apiKeys.list': () => store.apiKeys.list(),
    'apiKeys.create': (input) => createApiKey(store, clock, input),
    'apiKeys.revoke': ({ id }) => revokeApiKey(store, clock, id),
  };
}
