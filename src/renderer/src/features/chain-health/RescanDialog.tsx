import { useState, type FormEvent } from 'react';
import type { ChainHealth } from '../../../../shared/domain.ts';
import { call, errorMessage } from '../../transport/index.ts';
import { Dialog, ErrorText } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';

/** How far back from the last scanned block the dialog suggests starting. */
const SUGGESTED_DEPTH = 100;

interface RescanDialogProps {
  chain: ChainHealth;
  onDone(fromBlock: number): void;
  onCancel(): void;
}

export function RescanDialog({ chain, onDone, onCancel }: RescanDialogProps) {
  const [fromBlock, setFromBlock] = useState(() => String(Math.max(0, (chain.lastScannedBlock ?? 0) - SUGGESTED_DEPTH)));
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formId = `rescan-${chain.chainId}`;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const text = fromBlock.trim();
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
      setFieldError('Enter a block number: a whole number, 0 or more.');
      return;
    }
    setFieldError(null);
    setError(null);
    setBusy(true);
    try {
      const result = await call('chains.rescan', { chainId: chain.chainId, fromBlock: Number(text) });
      onDone(result.fromBlock);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={`Rescan ${chain.name}`}
      onClose={onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button button--primary" disabled={busy}>
            {busy ? 'Rescanning…' : 'Rescan'}
          </button>
        </>
      }
    >
      <form id={formId} className="form" onSubmit={onSubmit} noValidate>
        <p>
          Till scans {chain.name} again from this block up to the head, and picks up any payment it missed. Payments are unique by
          transaction, so a rescan never counts one twice.
        </p>
        <Field
          label="From block"
          hint={chain.lastScannedBlock === null ? undefined : `Last scanned block: ${chain.lastScannedBlock.toLocaleString()}.`}
          error={fieldError}
        >
          <input
            className="input tabular"
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            value={fromBlock}
            onChange={(event) => setFromBlock(event.target.value)}
            autoFocus
          />
        </Field>
        {error && <ErrorText message={error} />}
      </form>
    </Dialog>
  );
}
