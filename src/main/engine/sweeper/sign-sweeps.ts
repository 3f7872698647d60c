import type { Logger } from 'pino';
import {
  encodeFunctionData,
  parseAbi,
  parseTransaction,
  serializeTransaction,
  type Hex,
  type TransactionSerializable,
} from 'viem';
import type { SweepTrigger } from '../../../shared/sweeps.ts';
import { NATIVE } from '../db/repositories/sweep-deposits-repo.ts';
import type { SweepTxRecord, SweepTxRole } from '../db/repositories/sweep-txs-repo.ts';
import type { Store } from '../db/store.ts';
import { isoTime, type Clock } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import type { SignedAuthorization, Signer, SigningAccount } from '../wallet/signer.ts';
import { GasAccountShortError } from './broadcast.ts';
import { bumpFees, exactFees, l1DataFee, type FeeQuote } from './fees.ts';
import type { PlannedBatch } from './planner.ts';
import type { SweepChain } from './sweep-chain.ts';
import { isDelegationTo, sweepBatchData, sweeperAddressFor, sweeperDeployData, sweepTokensData } from './sweeper-contract.ts';
import { RpcCallError } from '../chains/rpc/rpc-call-error.ts';
import { runLimited } from '../scanner/run-limited.ts';

const erc20Abi = parseAbi(['function transfer(address to, uint256 amount) returns (bool)']);

/** Everything a signing step needs. The signer exists only for the step (see wallet/signer.ts). */
export interface SigningContext {
  store: Store;
  chain: SweepChain;
  signer: Signer;
  clock: Clock;
  logger: Logger;
  treasury: `0x${string}`;
  gasAddress: `0x${string}`;
  quote: FeeQuote;
  head: number;
  l1Oracle: boolean;
  signal?: AbortSignal;
  /** A deposit whose sweep would revert: it is left out and held for the merchant, with an alert. */
  unsweepable(item: { address: string; invoiceId: string | null }, reason: string): void;
}

/** At most this many gas-account transactions wait for a block at once (later ones queue behind them). */
export const MAX_PENDING_GAS_TXS = 8;

/** 20 % over the node's estimate; a plain transfer to an account without code needs exactly 21,000. */
export const withMargin = (estimate: bigint): bigint => (estimate === 21_000n ? estimate : estimate + estimate / 5n);

/**
 * The nonce the next transaction of `address` takes. The store hands nonces out; the chain only
 * ever raises the counter: when nothing of ours from this account waits, a chain ahead of the store
 * means the account signed elsewhere (or an authorization used a deposit's nonce), and Till follows.
 */
export async function nextNonce(ctx: SigningContext, address: string): Promise<number> {
  const { store, chain } = ctx;
  const stored = store.signerNonces.peek(chain.chainId, address);
  const waiting = store.sweepTxs.pendingFrom(chain.chainId, address);
  if (waiting.length > 0 && stored !== undefined) return stored;
  const mined = await chain.nonce(address, ctx.head, ctx.signal);
  if (stored !== undefined && mined > stored)
    ctx.logger.warn({ address, stored, mined }, 'the chain is ahead of the stored nonce: the account signed outside Till');
  return Math.max(stored ?? 0, mined);
}

function serializable(
  quote: { type: FeeQuote['type']; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
  fields: {
    chainId: number;
    nonce: number;
    to: Hex | null;
    value: bigint;
    data?: Hex;
    gas: bigint;
    authorizationList?: SignedAuthorization[];
  },
): TransactionSerializable {
  const { to, ...rest } = fields;
  const base = { ...rest, ...(to ? { to } : {}) };
  if (fields.authorizationList?.length)
    return {
      ...base,
      type: 'eip7702',
      maxFeePerGas: quote.maxFeePerGas,
      maxPriorityFeePerGas: quote.maxPriorityFeePerGas,
      authorizationList: fields.authorizationList,
    };
  const { authorizationList: _none, ...plain } = base;
  if (quote.type === 'legacy') return { ...plain, type: 'legacy', gasPrice: quote.maxFeePerGas };
  return { ...plain, type: 'eip1559', maxFeePerGas: quote.maxFeePerGas, maxPriorityFeePerGas: quote.maxPriorityFeePerGas };
}

interface NewTx {
  role: SweepTxRole;
  account: SigningAccount;
  from: string;
  nonce: number;
  tx: TransactionSerializable;
}

function sign(ctx: SigningContext, newTx: NewTx) {
  const signed = ctx.signer.signTransaction(newTx.account, newTx.tx);
  const fees = feesOf(newTx.tx);
  return {
    record: {
      id: newId('stx'),
      role: newTx.role,
      from: newTx.from,
      nonce: newTx.nonce,
      gasLimit: Number(newTx.tx.gas),
      firstMaxFee: fees.maxFeePerGas,
    },
    attempt: { attempt: 1, hash: signed.hash, raw: signed.raw, value: newTx.tx.value ?? 0n, ...fees },
  };
}

function feesOf(tx: TransactionSerializable): { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } {
  if (tx.type === 'legacy' || tx.gasPrice !== undefined)
    return { maxFeePerGas: tx.gasPrice!, maxPriorityFeePerGas: tx.gasPrice! };
  return { maxFeePerGas: tx.maxFeePerGas!, maxPriorityFeePerGas: tx.maxPriorityFeePerGas! };
}

/**
 * Writes a new sweep, its deposits and its first signed transaction in one SQLite transaction,
 * handing out the nonce in the same transaction. Only after this commit may anything be broadcast.
 */
function persistSweep(
  ctx: SigningContext,
  sweep: {
    kind: 'native' | 'eip7702' | 'topup' | 'deploy';
    token: string | null;
    trigger: SweepTrigger;
    value: bigint;
    estimatedGas: number;
    estimatedFee: bigint;
  },
  items: { address: string; token: string; derivationIndex: number; invoiceId: string | null; reason: string; amount: bigint }[],
  signed: ReturnType<typeof sign>,
  extra?: (sweepId: string) => void,
): string {
  const { store, chain } = ctx;
  const id = newId('swp');
  const now = isoTime(ctx.clock.now());
  store.write(() => {
    store.sweeps.insert({ id, chainId: chain.chainId, ...sweep }, now);
    for (const item of items) store.sweepItems.insert({ sweepId: id, chainId: chain.chainId, ...item });
    store.signerNonces.take(chain.chainId, signed.record.from, signed.record.nonce, now);
    store.sweepTxs.insert({ ...signed.record, sweepId: id, chainId: chain.chainId }, now);
    store.sweepTxs.insertAttempt({ txId: signed.record.id, ...signed.attempt }, now);
    extra?.(id);
  });
  return id;
}

/** Adds the next transaction of an open sweep (a top-up's token transfer, a further top-up). */
function persistNextTx(ctx: SigningContext, sweepId: string, signed: ReturnType<typeof sign>): void {
  const { store, chain } = ctx;
  const now = isoTime(ctx.clock.now());
  store.write(() => {
    store.signerNonces.take(chain.chainId, signed.record.from, signed.record.nonce, now);
    store.sweepTxs.insert({ ...signed.record, sweepId, chainId: chain.chainId }, now);
    store.sweepTxs.insertAttempt({ txId: signed.record.id, ...signed.attempt }, now);
  });
}

function checkDerivation(ctx: SigningContext, index: number, address: string): void {
  const derived = ctx.signer.addressOf({ kind: 'deposit', index });
  if (derived.toLowerCase() !== address.toLowerCase())
    throw new TillError(
      'VAULT_FILE_CORRUPT',
      `The recovery words in the keystore do not belong to this wallet: deposit ${index} derives to ${derived}, not ${address}. Nothing was signed.`,
    );
}

async function requireGas(ctx: SigningContext, needed: bigint): Promise<void> {
  const balance = await ctx.chain.balance(ctx.gasAddress, ctx.head, ctx.signal);
  if (balance < needed)
    throw new GasAccountShortError(
      ctx.chain.chainId,
      needed,
      balance,
      `The gas account ${ctx.gasAddress} holds ${balance} wei; this sweep needs ${needed} wei of gas.`,
    );
}

/** The whole balance of a deposit, less what its own transfer to the treasury costs at the max fee. */
export async function signNativeSweep(ctx: SigningContext, batch: PlannedBatch, trigger: SweepTrigger): Promise<string | null> {
  const item = batch.items[0]!;
  checkDerivation(ctx, item.derivationIndex, item.address);
  const { chain } = ctx;
  const quote = exactFees(ctx.quote);
  const balance = await chain.balance(item.address, ctx.head, ctx.signal);
  const gas = withMargin(await chain.estimateGas({ from: item.address, to: ctx.treasury, value: 1n }, ctx.signal));
  const nonce = await nextNonce(ctx, item.address);
  const draft = serializable(quote, { chainId: chain.chainId, nonce, to: ctx.treasury, value: balance, gas });
  const l1Fee = await l1DataFee(chain, ctx.l1Oracle, serializeTransaction(draft), ctx.signal);
  const value = balance - gas * quote.maxFeePerGas - l1Fee;
  if (value <= 0n) return null;
  const signed = sign(ctx, {
    role: 'native',
    account: { kind: 'deposit', index: item.derivationIndex },
    from: item.address,
    nonce,
    tx: { ...draft, value },
  });
  return persistSweep(
    ctx,
    {
      kind: 'native',
      token: null,
      trigger,
      value,
      estimatedGas: Number(gas),
      estimatedFee: gas * quote.expectedGasPrice + l1Fee,
    },
    [{ ...item, token: NATIVE, amount: balance }],
    signed,
  );
}

/** Deploys the sweeper delegate for the treasury from the gas account (once per chain and treasury). */
export async function signSweeperDeploy(ctx: SigningContext): Promise<string> {
  const { chain, quote } = ctx;
  const data = sweeperDeployData(ctx.treasury);
  const gas = withMargin(await chain.estimateGas({ from: ctx.gasAddress, data }, ctx.signal));
  await requireGas(ctx, gas * quote.maxFeePerGas);
  const nonce = await nextNonce(ctx, ctx.gasAddress);
  const address = sweeperAddressFor(ctx.gasAddress, nonce);
  const signed = sign(ctx, {
    role: 'deploy',
    account: { kind: 'gas' },
    from: ctx.gasAddress,
    nonce,
    tx: serializable(quote, { chainId: chain.chainId, nonce, to: null, value: 0n, data, gas }),
  });
  return persistSweep(
    ctx,
    {
      kind: 'deploy',
      token: null,
      trigger: 'setup',
      value: 0n,
      estimatedGas: Number(gas),
      estimatedFee: gas * quote.expectedGasPrice,
    },
    [],
    signed,
    (sweepId) =>
      ctx.store.sweeperContracts.save(
        { chainId: chain.chainId, treasury: ctx.treasury, address, sweepId, status: 'deploying' },
        isoTime(ctx.clock.now()),
      ),
  );
}

/**
 * One type-4 transaction from the gas account over up to batchSize deposits of one token. Each
 * deposit not yet delegated to the sweeper gets its authorization (signed once, kept); each is
 * checked on chain first so one stale tuple cannot waste the batch's gas.
 */
export async function signBatchSweep(
  ctx: SigningContext,
  batch: PlannedBatch,
  trigger: SweepTrigger,
  contract: `0x${string}`,
): Promise<string | null> {
  const { chain, store, quote } = ctx;
  const accounts = await chain.accounts(
    batch.items.map((item) => item.address),
    ctx.head,
    ctx.signal,
  );
  const now = isoTime(ctx.clock.now());
  const items: PlannedBatch['items'] = [];
  const authorizationOf = new Map<string, SignedAuthorization>();
  batch.items.forEach((item, index) => {
    const account = accounts[index]!;
    checkDerivation(ctx, item.derivationIndex, item.address);
    if (isDelegationTo(account.code, contract)) {
      items.push(item);
      return;
    }
    // A deposit is an account Till derived, so it has no code of its own: code that is not a
    // delegation means this is not the account Till thinks it is. Leave it alone.
    if (account.code !== '0x' && !account.code.toLowerCase().startsWith('0xef0100')) {
      ctx.logger.error({ address: item.address }, 'deposit address has contract code; not sweeping it');
      return;
    }
    const kept = store.sweepAuthorizations.get(chain.chainId, item.address, contract, account.nonce);
    const authorization: SignedAuthorization = kept
      ? { address: contract, chainId: chain.chainId, nonce: account.nonce, yParity: kept.yParity, r: kept.r, s: kept.s }
      : ctx.signer.signAuthorization(item.derivationIndex, { contract, chainId: chain.chainId, nonce: account.nonce });
    if (!kept) store.sweepAuthorizations.save({ ...authorization, authority: item.address, contract }, now);
    authorizationOf.set(item.address, authorization);
    items.push(item);
  });
  if (items.length === 0) return null;
  // Each deposit's own sweep, estimated by itself (with its authorization where it needs one): the
  // batch swallows a failing deposit, so an estimate of the whole batch would happily price one
  // that runs out of gas. A deposit whose sweep would revert is left out (and held, with an alert).
  const estimates = new Map<string, bigint>();
  await runLimited(
    items.map((item) => async (signal) => {
      const authorization = authorizationOf.get(item.address);
      try {
        estimates.set(
          item.address,
          await chain.estimateGas(
            {
              from: ctx.gasAddress,
              to: item.address,
              data: sweepTokensData([batch.token as Hex]),
              authorizationList: authorization ? [authorization] : undefined,
            },
            signal,
          ),
        );
      } catch (error) {
        if (!(error instanceof RpcCallError) || error.kind !== 'fatal') throw error;
        ctx.unsweepable(item, error.message);
      }
    }),
    4,
    ctx.signal ?? new AbortController().signal,
  );
  const sweepable = items.filter((item) => estimates.has(item.address));
  if (sweepable.length === 0) return null;
  const used = sweepable
    .map((item) => authorizationOf.get(item.address))
    .filter((a): a is SignedAuthorization => a !== undefined);
  const data = sweepBatchData(
    batch.token as Hex,
    sweepable.map((item) => item.address as Hex),
  );
  // The batch's own 21,000 once; per deposit what its own sweep needs beyond a transaction's 21,000,
  // plus the call from the batch (a cold account) and its calldata; then 10 % to spare.
  const perDeposit = sweepable.reduce((sum, item) => sum + estimates.get(item.address)! - 21_000n + 5_000n, 0n);
  const estimate = 21_000n + 10_000n + perDeposit;
  const gas = estimate + estimate / 10n;
  const draft = serializable(quote, {
    chainId: chain.chainId,
    nonce: 0,
    to: contract,
    value: 0n,
    data,
    gas,
    authorizationList: used,
  });
  const l1Fee = await l1DataFee(chain, ctx.l1Oracle, serializeTransaction(draft), ctx.signal);
  await requireGas(ctx, gas * quote.maxFeePerGas + l1Fee);
  const nonce = await nextNonce(ctx, ctx.gasAddress);
  const signed = sign(ctx, { role: 'batch', account: { kind: 'gas' }, from: ctx.gasAddress, nonce, tx: { ...draft, nonce } });
  const value = sweepable.reduce((sum, item) => sum + item.amount, 0n);
  return persistSweep(
    ctx,
    {
      kind: 'eip7702',
      token: batch.token,
      trigger,
      value,
      estimatedGas: Number(estimate),
      estimatedFee: estimate * quote.expectedGasPrice + l1Fee,
    },
    sweepable.map((item) => ({ ...item, token: batch.token })),
    signed,
  );
}

/** What the token transfer from a deposit costs (gas limit, L1 fee) and the transaction itself, unsigned. */
async function draftTokenTransfer(
  ctx: SigningContext,
  deposit: { address: string },
  token: Hex,
  amount: bigint,
  nonce: number,
  quote = ctx.quote,
) {
  const data = encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [ctx.treasury, amount] });
  const gas = withMargin(await ctx.chain.estimateGas({ from: deposit.address, to: token, data }, ctx.signal));
  const tx = serializable(quote, { chainId: ctx.chain.chainId, nonce, to: token, value: 0n, data, gas });
  const l1Fee = await l1DataFee(ctx.chain, ctx.l1Oracle, serializeTransaction(tx), ctx.signal);
  return { tx, gas, l1Fee, needed: gas * feesOf(tx).maxFeePerGas + l1Fee };
}

/**
 * ERC-20 by top-up, for chains without EIP-7702: the gas account sends the deposit exactly what
 * its token transfer costs at the max fee (less what it already holds), then — once that is mined
 * (advanceTopup) — the deposit sends the token to the treasury.
 */
export async function signTopupSweep(ctx: SigningContext, batch: PlannedBatch, trigger: SweepTrigger): Promise<string | null> {
  const item = batch.items[0]!;
  checkDerivation(ctx, item.derivationIndex, item.address);
  const amount = await tokenBalance(ctx, batch.token as Hex, item.address);
  if (amount === 0n) return null;
  const depositNonce = await nextNonce(ctx, item.address);
  const transfer = await draftTokenTransfer(ctx, item, batch.token as Hex, amount, depositNonce);
  const held = await ctx.chain.balance(item.address, ctx.head, ctx.signal);
  const sweep = {
    kind: 'topup' as const,
    token: batch.token,
    trigger,
    value: amount,
    estimatedGas: Number(transfer.gas) + 21_000,
    estimatedFee: (transfer.gas + 21_000n) * ctx.quote.expectedGasPrice + 2n * transfer.l1Fee,
  };
  const items = [{ ...item, token: batch.token, amount }];
  if (held >= transfer.needed) {
    const signed = sign(ctx, {
      role: 'transfer',
      account: { kind: 'deposit', index: item.derivationIndex },
      from: item.address,
      nonce: depositNonce,
      tx: transfer.tx,
    });
    return persistSweep(ctx, sweep, items, signed);
  }
  const topup = await draftTopup(ctx, item.address, transfer.needed - held);
  return persistSweep(ctx, sweep, items, topup);
}

async function draftTopup(ctx: SigningContext, deposit: string, value: bigint) {
  const gas = withMargin(await ctx.chain.estimateGas({ from: ctx.gasAddress, to: deposit, value }, ctx.signal));
  const tx = serializable(ctx.quote, { chainId: ctx.chain.chainId, nonce: 0, to: deposit as Hex, value, gas });
  const l1Fee = await l1DataFee(ctx.chain, ctx.l1Oracle, serializeTransaction(tx), ctx.signal);
  await requireGas(ctx, value + gas * ctx.quote.maxFeePerGas + l1Fee);
  const nonce = await nextNonce(ctx, ctx.gasAddress);
  return sign(ctx, { role: 'topup', account: { kind: 'gas' }, from: ctx.gasAddress, nonce, tx: { ...tx, nonce } });
}

async function tokenBalance(ctx: SigningContext, token: Hex, address: string): Promise<bigint> {
  const balances = await ctx.chain.balances([address], [token.toLowerCase()], ctx.head, {
    multicall3: false,
    signal: ctx.signal,
  });
  return balances.get(address.toLowerCase())?.get(token.toLowerCase()) ?? 0n;
}

/**
 * The next step of a top-up sweep whose transactions are all mined: sign the token transfer,
 * after a further top-up when fees rose past what the deposit holds. Returns what it signed.
 */
/**
 * Before a token transfer from a top-up deposit is replaced with higher fees: does the deposit
 * hold enough for them? When not, a further top-up is signed (and the replacement waits for it).
 */
export async function fundReplacement(ctx: SigningContext, tx: SweepTxRecord): Promise<boolean> {
  const latest = ctx.store.sweepTxs.attempts(tx.id).at(-1)!;
  const fees = bumpFees(latest, ctx.quote);
  const needed = BigInt(tx.gasLimit) * fees.maxFeePerGas;
  const held = await ctx.chain.balance(tx.from, ctx.head, ctx.signal);
  if (held >= needed) return true;
  persistNextTx(ctx, tx.sweepId, await draftTopup(ctx, tx.from, needed - held));
  return false;
}

export async function advanceTopup(ctx: SigningContext, sweepId: string): Promise<'transfer' | 'topup' | null> {
  const { store, chain } = ctx;
  const sweep = store.sweeps.get(sweepId)!;
  const items = store.sweepItems.forSweep(sweepId);
  const item = items[0]!;
  const txs = store.sweepTxs.forSweep(sweepId);
  if (txs.some((tx) => tx.status === 'pending') || txs.some((tx) => tx.role === 'transfer' && tx.status !== 'dropped'))
    return null;
  checkDerivation(ctx, item.derivationIndex, item.address);
  const amount = await tokenBalance(ctx, sweep.token as Hex, item.address);
  if (amount === 0n) return null;
  const nonce = await nextNonce(ctx, item.address);
  const transfer = await draftTokenTransfer(ctx, item, sweep.token as Hex, amount, nonce);
  const held = await chain.balance(item.address, ctx.head, ctx.signal);
  if (held < transfer.needed) {
    persistNextTx(ctx, sweepId, await draftTopup(ctx, item.address, transfer.needed - held));
    return 'topup';
  }
  persistNextTx(
    ctx,
    sweepId,
    sign(ctx, {
      role: 'transfer',
      account: { kind: 'deposit', index: item.derivationIndex },
      from: item.address,
      nonce,
      tx: transfer.tx,
    }),
  );
  return 'transfer';
}

/**
 * A replacement of a transaction that is not getting mined: the same nonce, every other field as
 * signed before (an EIP-7702 batch keeps its authorizations: they are not signed again), both fees
 * raised. A native sweep moves correspondingly less, since its fee comes out of the balance.
 * Returns null when a replacement cannot be made (a native sweep whose fee would eat the balance).
 */
export async function signReplacement(
  ctx: SigningContext,
  tx: SweepTxRecord,
  options: { ignoreCeiling: boolean; ceiling: bigint },
): Promise<{ attempt: number; maxFeePerGas: bigint } | 'ceiling' | null> {
  const { store } = ctx;
  const attempts = store.sweepTxs.attempts(tx.id);
  const latest = attempts.at(-1)!;
  // What a fresh transaction of its kind would pay now: a native sweep's is exact (see exactFees).
  const bumped = bumpFees(latest, tx.role === 'native' ? exactFees(ctx.quote) : ctx.quote);
  // A native sweep pays its whole max fee (see exactFees): the tip stays equal to it.
  const fees = tx.role === 'native' ? { maxFeePerGas: bumped.maxFeePerGas, maxPriorityFeePerGas: bumped.maxFeePerGas } : bumped;
  if (!options.ignoreCeiling && fees.maxFeePerGas > options.ceiling) return 'ceiling';
  const parsed = parseTransaction(latest.raw);
  const {
    r: _r,
    s: _s,
    v: _v,
    yParity: _y,
    ...fields
  } = parsed as TransactionSerializable & { r?: Hex; s?: Hex; v?: bigint; yParity?: number };
  let next = (
    fields.type === 'legacy' ? { ...fields, gasPrice: fees.maxFeePerGas } : { ...fields, ...fees }
  ) as TransactionSerializable;
  if (tx.role === 'native') {
    const item = store.sweepItems.forSweep(tx.sweepId)[0]!;
    const l1Fee = await l1DataFee(ctx.chain, ctx.l1Oracle, serializeTransaction(next), ctx.signal);
    const value = item.amount - BigInt(tx.gasLimit) * fees.maxFeePerGas - l1Fee;
    if (value <= 0n) return null;
    next = { ...next, value };
  }
  const account: SigningAccount =
    tx.from.toLowerCase() === ctx.gasAddress.toLowerCase()
      ? { kind: 'gas' }
      : {
          kind: 'deposit',
          index: store.sweepItems.forSweep(tx.sweepId).find((item) => item.address === tx.from)!.derivationIndex,
        };
  const signed = ctx.signer.signTransaction(account, next);
  const attempt = latest.attempt + 1;
  store.sweepTxs.insertAttempt(
    { txId: tx.id, attempt, hash: signed.hash, raw: signed.raw, ...fees, value: next.value ?? 0n },
    isoTime(ctx.clock.now()),
  );
  return { attempt, maxFeePerGas: fees.maxFeePerGas };
}
