import { useState } from 'react';
import type { RpcTestResult } from '../../../../shared/domain.ts';
import { call, errorMessage } from '../../transport/index.ts';

type Outcome =
  | { url: string; state: 'testing' }
  | { url: string; state: 'done'; result: RpcTestResult }
  | { url: string; state: 'error'; message: string };

interface RpcUrlTesterProps {
  chainId: number | null;
  urls: string[];
}

/** Tests each RPC URL line against the engine (chains.testRpc) before the chain is saved. */
export function RpcUrlTester({ chainId, urls }: RpcUrlTesterProps) {
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const [hint, setHint] = useState<string | null>(null);
  const testing = outcomes.some((outcome) => outcome.state === 'testing');

  const test = async () => {
    if (chainId === null) return setHint('Enter the chain ID first: each URL is checked to serve that chain.');
    if (urls.length === 0) return setHint('Enter at least one RPC URL to test.');
    setHint(null);
    setOutcomes(urls.map((url) => ({ url, state: 'testing' })));
    await Promise.all(
      urls.map(async (url, index) => {
        let outcome: Outcome;
        try {
          outcome = { url, state: 'done', result: await call('chains.testRpc', { chainId, url }) };
        } catch (caught) {
          outcome = { url, state: 'error', message: errorMessage(caught) };
        }
        setOutcomes((current) => current.map((existing, at) => (at === index && existing.url === url ? outcome : existing)));
      }),
    );
  };

  return (
    <div className="rpc-test">
      <div>
        <button type="button" className="button button--small" onClick={test} disabled={testing}>
          {testing ? 'Testing…' : 'Test RPC URLs'}
        </button>
      </div>
      {hint && <p className="field__error">{hint}</p>}
      {outcomes.length > 0 && (
        <ul className="rpc-test__list" aria-label="RPC test results" aria-busy={testing}>
          {outcomes.map((outcome, index) => (
            <RpcOutcome key={`${index}:${outcome.url}`} outcome={outcome} />
          ))}
        </ul>
      )}
    </div>
  );
}

function RpcOutcome({ outcome }: { outcome: Outcome }) {
  const ok = outcome.state === 'done' && outcome.result.ok;
  const problems = outcome.state === 'done' ? outcome.result.problems : outcome.state === 'error' ? [outcome.message] : [];
  return (
    <li className={`rpc-test__item rpc-test__item--${outcome.state === 'testing' ? 'testing' : ok ? 'ok' : 'failed'}`}>
      <span className="rpc-test__mark" aria-hidden="true">
        {outcome.state === 'testing' ? '…' : ok ? '✓' : '✕'}
      </span>
      <div className="rpc-test__body">
        <p className="mono small rpc-test__url">{outcome.url}</p>
        <p className="small">
          {outcome.state === 'testing' && <span className="muted">Testing…</span>}
          {outcome.state === 'done' && outcome.result.ok && (
            <span className="tabular">
              <span className="visually-hidden">OK: </span>
              head {outcome.result.head?.toLocaleString() ?? '—'} · {outcome.result.latencyMs ?? '—'} ms · accepts eth_getLogs
              over {outcome.result.logRangeAccepted?.toLocaleString() ?? '—'} blocks
            </span>
          )}
          {!ok && outcome.state !== 'testing' && <span className="visually-hidden">Failed: </span>}
        </p>
        {problems.length > 0 && (
          <ul className={`rpc-test__problems small ${ok ? 'muted' : ''}`}>
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        )}
      </div>
    </li>
  );
}
