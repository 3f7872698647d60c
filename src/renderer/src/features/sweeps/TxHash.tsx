import { CopyButton } from '../../ui/CopyButton.tsx';
import { shortenMiddle } from '../../ui/format.ts';

/**
 * A transaction hash shortened in the middle, linked to the chain's block explorer where Till
 * knows one (the chain presets), with a copy button. The desktop shell opens the link in the
 * system browser; the renderer itself never navigates away.
 */
export function TxHash({ hash, url }: { hash: string; url: string | null }) {
  const short = shortenMiddle(hash, 10, 6);
  return (
    <span className="short-address">
      {url ? (
        <a className="mono" href={url} target="_blank" rel="noreferrer" title={hash}>
          {short}
          <span className="visually-hidden"> (opens the block explorer)</span>
        </a>
      ) : (
        <span className="mono" title={hash}>
          {short}
        </span>
      )}
      <CopyButton value={hash} label={`Copy transaction hash ${hash}`} />
    </span>
  );
}
