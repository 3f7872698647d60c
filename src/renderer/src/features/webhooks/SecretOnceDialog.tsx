import { CopyButton } from '../../ui/CopyButton.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { formatDateTime } from '../../ui/format.ts';

interface SecretOnceDialogProps {
  title: string;
  url: string;
  secret: string;
  /** After a rotation: until when the previous secret keeps signing beside the new one (null: it stopped now). */
  overlapUntil?: string | null;
  onClose(): void;
}

/** The signing secret, this one time: Till keeps it sealed in the vault and never shows it again. */
export function SecretOnceDialog({ title, url, secret, overlapUntil, onClose }: SecretOnceDialogProps) {
  return (
    <Dialog
      title={title}
      onClose={onClose}
      actions={
        <button type="button" className="button button--primary" onClick={onClose}>
          I have stored the secret
        </button>
      }
    >
      <p>
        Your shop checks the <span className="mono">Till-Signature</span> header of each request to{' '}
        <span className="mono webhook-url">{url}</span> with this secret.
      </p>
      <div className="callout callout--warning" role="note">
        <p className="callout__body">
          <strong>Shown once.</strong> Copy the secret into your shop&rsquo;s configuration now; Till cannot show it again. If you
          lose it, rotate the secret.
        </p>
      </div>
      <div className="copy-field">
        <span className="copy-field__label" id="webhook-secret-label">
          Signing secret
        </span>
        <div className="copy-field__row">
          <code className="copy-field__value copy-field__value--wrap mono" aria-labelledby="webhook-secret-label">
            {secret}
          </code>
          <CopyButton value={secret} label="Copy signing secret" withText />
        </div>
      </div>
      {overlapUntil !== undefined && (
        <p className="small">
          {overlapUntil ? (
            <>
              The old secret keeps signing beside the new one until{' '}
              <time className="tabular" dateTime={overlapUntil}>
                <strong>{formatDateTime(overlapUntil)}</strong>
              </time>
              ; switch your shop to the new secret before then.
            </>
          ) : (
            'The old secret stopped signing now; only the new one signs from here on.'
          )}
        </p>
      )}
    </Dialog>
  );
}
