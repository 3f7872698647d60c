import { useEffect, useState, type FormEvent } from 'react';
import type { ApiKeyInfo, ApiKeyScope } from '../../../../shared/domain.ts';
import { apiKeyScopes, scopeHelp } from './api-key-scopes.ts';
import { call, errorMessage } from '../../transport/index.ts';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { ConfirmDialog, Dialog, ErrorText } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { EmptyState } from '../../ui/Spinner.tsx';
import { formatDateTimeCompact } from '../../ui/format.ts';
import { useApiKeysStore } from './api-keys-store.ts';

export function ApiKeysSection() {
  const { keys, loaded, error, load } = useApiKeysStore();
  const [revoking, setRevoking] = useState<ApiKeyInfo | null>(null);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void load();
  }, [load]);

  const revoke = async () => {
    if (!revoking) return;
    setBusy(true);
    try {
      useApiKeysStore.getState().put(await call('apiKeys.revoke', { id: revoking.id }));
      setRevoking(null);
      setRevokeError(null);
    } catch (caught) {
      setRevokeError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="settings-section" aria-labelledby="api-keys-title">
      <header className="settings-section__header">
        <div>
          <h2 id="api-keys-title" className="section-title">
            API keys
          </h2>
          <p className="muted">Keys let your shop or point-of-sale create and read invoices through Till&rsquo;s HTTP API.</p>
        </div>
      </header>
      <CreateApiKeyForm />
      {error && <ErrorText message={error} />}
      {loaded && keys.length === 0 ? (
        <EmptyState title="No API keys yet" />
      ) : (
        <div className="card table-wrap">
          <table className="table">
            <caption className="visually-hidden">API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id} className={key.revokedAt ? 'is-revoked' : undefined}>
                  <td>
                    <strong>{key.name}</strong>
                  </td>
                  <td className="mono">{key.prefix}…</td>
                  <td className="wrap">
                    <span className="pill-group">
                      {key.scopes.map((scope) => (
                        <span key={scope} className="pill">
                          {scope}
                        </span>
                      ))}
                    </span>
                  </td>
                  <td className="tabular muted">{formatDateTimeCompact(key.createdAt)}</td>
                  <td className="tabular muted">{key.lastUsedAt ? formatDateTimeCompact(key.lastUsedAt) : 'Never'}</td>
                  <td>
                    {key.revokedAt ? (
                      <>
                        <span className="pill pill--revoked">Revoked</span>
                        <span className="muted small revoked-at">{formatDateTimeCompact(key.revokedAt)}</span>
                      </>
                    ) : (
                      <span className="pill pill--active">Active</span>
                    )}
                  </td>
                  <td className="actions-cell">
                    {!key.revokedAt && (
                      <button
                        type="button"
                        className="button button--small button--danger-text"
                        aria-label={`Revoke API key ${key.name}`}
                        onClick={() => setRevoking(key)}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoking && (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          message={<p>Anything using this key stops working immediately. This cannot be undone; you can create a new key.</p>}
          confirmLabel="Revoke key"
          busy={busy}
          error={revokeError}
          onConfirm={revoke}
          onCancel={() => {
            setRevoking(null);
            setRevokeError(null);
          }}
        />
      )}
    </section>
  );
}

function CreateApiKeyForm() {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['invoices:read', 'invoices:write']);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);

  const toggleScope = (scope: ApiKeyScope, on: boolean) =>
    setScopes((current) => (on ? [...current, scope] : current.filter((existing) => existing !== scope)));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setError('Give the key a name, e.g. the shop that uses it.');
    if (scopes.length === 0) return setError('Choose at least one scope.');
    setError(null);
    setBusy(true);
    try {
      const created = await call('apiKeys.create', { name: name.trim(), scopes });
      useApiKeysStore.getState().put(created.apiKey);
      setSecret({ name: created.apiKey.name, value: created.secret });
      setName('');
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={onSubmit} noValidate aria-labelledby="create-key-title">
      <h3 className="card__title" id="create-key-title">
        Create an API key
      </h3>
      <Field label="Key name">
        <input
          className="input"
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={100}
          placeholder="Web shop"
        />
      </Field>
      <fieldset className="checkbox-group">
        <legend className="field__label">Scopes</legend>
        {apiKeyScopes.map((scope) => (
          <label key={scope} className="checkbox">
            <input
              type="checkbox"
              checked={scopes.includes(scope)}
              onChange={(event) => toggleScope(scope, event.target.checked)}
            />
            <span>
              <span className="mono">{scope}</span>
              <span className="checkbox__help">{scopeHelp[scope]}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {error && <ErrorText message={error} />}
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create API key'}
        </button>
      </div>
      {secret && (
        <Dialog
          title={`API key “${secret.name}” created`}
          onClose={() => setSecret(null)}
          actions={
            <button type="button" className="button button--primary" onClick={() => setSecret(null)}>
              I have stored the key
            </button>
          }
        >
          <div className="callout callout--warning" role="note">
            <p className="callout__body">
              This is the only time Till shows the full key. Copy it into your shop&rsquo;s configuration now; Till keeps only a
              hash and cannot show it again.
            </p>
          </div>
          <div className="copy-field">
            <span className="copy-field__label" id="api-secret-label">
              Secret key
            </span>
            <div className="copy-field__row">
              <code className="copy-field__value copy-field__value--wrap mono" aria-labelledby="api-secret-label">
                {secret.value}
              </code>
              <CopyButton value={secret.value} label="Copy API key" withText />
            </div>
          </div>
        </Dialog>
      )}
    </form>
  );
}
