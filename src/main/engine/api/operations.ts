import { chainPresets } from '../../../shared/chain-presets.ts';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/contract.ts';
import type { EngineContext } from '../engine-context.ts';
import { createApiKey, revokeApiKey } from '../access/api-keys.ts';
import { createInvoice } from '../invoices/create-invoice.ts';
import { toInvoiceView } from '../invoices/invoice-view.ts';
import { generateMnemonic } from '../wallet/mnemonic.ts';
import { addToken, removeChain, removeToken, saveChain, setChainEnabled } from './chain-ops.ts';
import { getInvoice, invoiceQrSvg, listInvoices } from './invoice-ops.ts';
import { saveWallet, setTreasury, walletStatus } from './wallet-ops.ts';

export type Operations = {
  [M in MethodName]: (input: MethodInput<M>) => MethodOutput<M> | Promise<MethodOutput<M>>;
};

/** The engine's operations behind the contract: plain functions, validated input in, data out. */
export function createOperations(ctx: EngineContext): Operations {
  const { store, clock } = ctx;
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

    'invoices.create': (input) => {
      const { invoice } = createInvoice(ctx.invoiceDeps, input);
      ctx.outboxWritten();
      return toInvoiceView(invoice);
    },
    'invoices.get': ({ id }) => getInvoice(store, id),
    'invoices.list': (input) => listInvoices(store, input),
    'invoices.qrSvg': ({ id }) => invoiceQrSvg(store, id),

    'apiKeys.list': () => store.apiKeys.list(),
    'apiKeys.create': (input) => createApiKey(store, clock, input),
    'apiKeys.revoke': ({ id }) => revokeApiKey(store, clock, id),
  };
}
