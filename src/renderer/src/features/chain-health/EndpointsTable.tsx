import type { ChainHealth } from '../../../../shared/domain.ts';
import { ToneBadge } from '../../ui/Badge.tsx';
import { formatBlock } from '../../ui/format.ts';
import { circuitLabels, circuitTones, newHeadsHints, newHeadsLabels, newHeadsTones } from './chain-tones.ts';

function formatErrorRate(rate: number): string {
  const percent = rate * 100;
  return `${percent < 10 && percent > 0 ? percent.toFixed(1) : Math.round(percent)} %`;
}

export function EndpointsTable({ chain }: { chain: ChainHealth }) {
  if (chain.endpoints.length === 0) return <p className="muted small">No RPC endpoint has been used yet.</p>;
  return (
    <div className="table-wrap endpoints">
      <table className="table table--compact">
        <caption className="visually-hidden">RPC endpoints of {chain.name}</caption>
        <thead>
          <tr>
            <th scope="col">Endpoint</th>
            <th scope="col" className="numeric">
              Head
            </th>
            <th scope="col" className="numeric">
              Latency
            </th>
            <th scope="col" className="numeric">
              Error rate
            </th>
            <th scope="col">Circuit</th>
            <th scope="col">Lagging</th>
            <th scope="col">New blocks</th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {chain.endpoints.map((endpoint) => (
            <tr key={endpoint.url}>
              <td className="mono endpoints__url" title={endpoint.url}>
                {endpoint.url}
              </td>
              <td className="numeric tabular">{formatBlock(endpoint.head)}</td>
              <td className="numeric tabular">{endpoint.latencyMs === null ? '—' : `${Math.round(endpoint.latencyMs)} ms`}</td>
              <td className={`numeric tabular ${endpoint.errorRate > 0 ? 'text-warn' : ''}`}>
                {formatErrorRate(endpoint.errorRate)}
                <span className="visually-hidden">
                  {' '}
                  ({endpoint.failures} of {endpoint.requests} requests failed)
                </span>
              </td>
              <td>
                <ToneBadge tone={circuitTones[endpoint.circuit]}>{circuitLabels[endpoint.circuit]}</ToneBadge>
              </td>
              <td>{endpoint.lagging ? <ToneBadge tone="warn">Lagging</ToneBadge> : <span className="muted">No</span>}</td>
              <td>
                {endpoint.newHeads ? (
                  <span title={newHeadsHints[endpoint.newHeads]}>
                    <ToneBadge tone={newHeadsTones[endpoint.newHeads]}>{newHeadsLabels[endpoint.newHeads]}</ToneBadge>
                  </span>
                ) : (
                  <span className="muted">Polled</span>
                )}
              </td>
              <td className="wrap endpoints__error">
                {endpoint.lastError ? (
                  <span className="small" title={endpoint.lastErrorAt ?? undefined}>
                    {endpoint.lastError}
                  </span>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
