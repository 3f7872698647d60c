import { useEffect, useId, useState, type FormEvent } from 'react';
import type { ChainPreset } from '../../../../shared/chain-presets.ts';
import type { Chain, ChainConfig, NativeDetection } from '../../../../shared/domain.ts';
import { call, errorMessage } from '../../transport/index.ts';
import { ErrorText } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { RpcUrlTester } from './RpcUrlTester.tsx';
import { useChainsStore } from './chains-store.ts';

interface Draft {
  chainId: string;
  name: string;
  nativeSymbol: string;
  nativeDecimals: string;
  rpcUrls: string;
  confirmations: string;
  pollIntervalMs: string;
  startBlock: string;
  nativeDetection: NativeDetection;
}

const emptyDraft: Draft = {
  chainId: '',
  name: '',
  nativeSymbol: 'ETH',
  nativeDecimals: '18',
  rpcUrls: '',
  confirmations: '12',
  pollIntervalMs: '4000',
  startBlock: '',
  nativeDetection: 'auto',
};

function draftFromPreset(preset: ChainPreset): Draft {
  return {
    chainId: String(preset.chainId),
    name: preset.name,
    nativeSymbol: preset.nativeSymbol,
    nativeDecimals: String(preset.nativeDecimals),
    rpcUrls: preset.rpcUrls.join('\n'),
    confirmations: String(preset.confirmations),
    pollIntervalMs: String(preset.pollIntervalMs),
    startBlock: '',
    nativeDetection: 'auto',
  };
}

function draftFromChain(chain: Chain): Draft {
  return {
    chainId: String(chain.chainId),
    name: chain.name,
    nativeSymbol: chain.nativeSymbol,
    nativeDecimals: String(chain.nativeDecimals),
    rpcUrls: chain.rpcUrls.join('\n'),
    confirmations: String(chain.confirmations),
    pollIntervalMs: String(chain.pollIntervalMs),
    startBlock: chain.startBlock === null ? '' : String(chain.startBlock),
    nativeDetection: chain.nativeDetection,
  };
}

type Errors = Partial<Record<keyof Draft, string>>;

const wholeNumber = (text: string) => /^\d+$/.test(text.trim());

function validate(draft: Draft): Errors {
  const errors: Errors = {};
  if (!wholeNumber(draft.chainId) || Number(draft.chainId) < 1)
    errors.chainId = 'A chain ID is a positive whole number, e.g. 8453 for Base.';
  if (!draft.name.trim()) errors.name = 'Give the chain a name.';
  if (!draft.nativeSymbol.trim()) errors.nativeSymbol = 'Enter the symbol of the native coin, e.g. ETH.';
  if (!wholeNumber(draft.nativeDecimals)) errors.nativeDecimals = 'A whole number, usually 18.';
  if (rpcLines(draft.rpcUrls).length === 0) errors.rpcUrls = 'Enter at least one RPC URL.';
  if (!wholeNumber(draft.confirmations) || Number(draft.confirmations) < 1) errors.confirmations = 'At least 1 block.';
  if (!wholeNumber(draft.pollIntervalMs) || Number(draft.pollIntervalMs) < 100) errors.pollIntervalMs = 'At least 100 ms.';
  if (draft.startBlock.trim() && !wholeNumber(draft.startBlock))
    errors.startBlock = 'A block number, or leave empty to start at the current block.';
  return errors;
}

function rpcLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

interface ChainFormProps {
  /** Editing this chain; absent when adding a new one. */
  chain?: Chain;
  onDone(): void;
}

const CUSTOM = 'custom';

export function ChainForm({ chain, onDone }: ChainFormProps) {
  const { presets, chains, loadPresets, put } = useChainsStore();
  const [presetKey, setPresetKey] = useState<string>(CUSTOM);
  const [draft, setDraft] = useState<Draft>(chain ? draftFromChain(chain) : emptyDraft);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();

  useEffect(() => {
    if (!chain) void loadPresets();
  }, [chain, loadPresets]);

  const availablePresets = presets.filter((preset) => !chains.some((existing) => existing.chainId === preset.chainId));
  const preset = presets.find((candidate) => String(candidate.chainId) === presetKey);

  const choosePreset = (key: string) => {
    setPresetKey(key);
    const next = presets.find((candidate) => String(candidate.chainId) === key);
    setDraft(next ? draftFromPreset(next) : emptyDraft);
    setErrors({});
  };

  const update = (key: keyof Draft) => (event: { target: { value: string } }) =>
    setDraft((current) => ({ ...current, [key]: event.target.value }));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validate(draft);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const config: ChainConfig = {
      chainId: Number(draft.chainId),
      name: draft.name.trim(),
      rpcUrls: rpcLines(draft.rpcUrls),
      confirmations: Number(draft.confirmations),
      pollIntervalMs: Number(draft.pollIntervalMs),
      enabled: chain ? chain.enabled : true,
      nativeSymbol: draft.nativeSymbol.trim(),
      nativeDecimals: Number(draft.nativeDecimals),
      nativeDetection: draft.nativeDetection,
      ...(draft.startBlock.trim() ? { startBlock: Number(draft.startBlock) } : {}),
      ...(chain ? { tokens: chain.tokens } : preset ? { tokens: preset.tokens } : {}),
    };
    setError(null);
    setBusy(true);
    try {
      put(await call('chains.save', config));
      onDone();
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <form className="card form chain-form" onSubmit={onSubmit} noValidate aria-labelledby={titleId}>
      <h3 className="card__title" id={titleId}>
        {chain ? `Edit ${chain.name}` : 'Add a chain'}
      </h3>
      {!chain && (
        <Field
          label="Start from"
          hint="A preset fills in public RPC endpoints and USDC/USDT; replace the RPC with your provider's for production."
        >
          <select className="select" value={presetKey} onChange={(event) => choosePreset(event.target.value)}>
            <option value={CUSTOM}>Custom chain</option>
            {availablePresets.map((candidate) => (
              <option key={candidate.chainId} value={String(candidate.chainId)}>
                {candidate.name} (chain {candidate.chainId})
              </option>
            ))}
          </select>
        </Field>
      )}
      <div className="form__row">
        <Field label="Chain ID" error={errors.chainId}>
          <input
            className="input tabular"
            inputMode="numeric"
            value={draft.chainId}
            onChange={update('chainId')}
            readOnly={Boolean(chain)}
          />
        </Field>
        <Field label="Name" error={errors.name}>
          <input className="input" value={draft.name} onChange={update('name')} maxLength={64} />
        </Field>
      </div>
      <div className="form__row">
        <Field label="Native symbol" error={errors.nativeSymbol}>
          <input className="input" value={draft.nativeSymbol} onChange={update('nativeSymbol')} maxLength={16} />
        </Field>
        <Field label="Native decimals" error={errors.nativeDecimals}>
          <input className="input tabular" inputMode="numeric" value={draft.nativeDecimals} onChange={update('nativeDecimals')} />
        </Field>
      </div>
      <Field label="RPC URLs" hint="One per line; Till fails over between them in order." error={errors.rpcUrls}>
        <textarea
          className="input textarea mono"
          rows={3}
          spellCheck={false}
          value={draft.rpcUrls}
          onChange={update('rpcUrls')}
        />
      </Field>
      <RpcUrlTester
        chainId={wholeNumber(draft.chainId) && Number(draft.chainId) >= 1 ? Number(draft.chainId) : null}
        urls={rpcLines(draft.rpcUrls)}
      />
      <div className="form__row form__row--three">
        <Field label="Confirmations" error={errors.confirmations}>
          <input className="input tabular" inputMode="numeric" value={draft.confirmations} onChange={update('confirmations')} />
        </Field>
        <Field label="Poll interval (ms)" error={errors.pollIntervalMs}>
          <input className="input tabular" inputMode="numeric" value={draft.pollIntervalMs} onChange={update('pollIntervalMs')} />
        </Field>
        <Field label="Start block" hint="Optional." error={errors.startBlock}>
          <input className="input tabular" inputMode="numeric" value={draft.startBlock} onChange={update('startBlock')} />
        </Field>
      </div>
      <Field
        label="Native-coin detection"
        hint="Automatic watches the deposit addresses' balances and reads only the blocks where one changed, and reads every block when that is cheaper or the RPC endpoint keeps no history. Chain health shows which it uses."
      >
        <select className="select" value={draft.nativeDetection} onChange={update('nativeDetection')}>
          <option value="auto">Automatic</option>
          <option value="balances">Balance-first</option>
          <option value="blocks">Read every block</option>
        </select>
      </Field>
      {error && <ErrorText message={error} />}
      <div className="form__actions">
        <button type="button" className="button button--ghost" onClick={onDone} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save chain'}
        </button>
      </div>
    </form>
  );
}
