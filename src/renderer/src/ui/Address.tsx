import { CopyButton } from './CopyButton.tsx';
import { shortenMiddle } from './format.ts';

/** An address shortened in the middle, full value on hover and in the copy button. */
export function ShortAddress({ address, copyLabel = 'Copy address' }: { address: string; copyLabel?: string }) {
  return (
    <span className="short-address">
      <span className="mono" title={address}>
        {shortenMiddle(address)}
      </span>
      <CopyButton value={address} label={`${copyLabel} ${address}`} />
    </span>
  );
}
