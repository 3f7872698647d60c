import { useWebhooksStore } from './webhooks-store.ts';

/** A choice of one of the endpoints by URL, or all of them (value ''). */
export function EndpointSelect({
  value,
  onChange,
  disabled,
}: {
  value: string;
  onChange(endpointId: string): void;
  disabled?: boolean;
}) {
  const endpoints = useWebhooksStore((state) => state.endpoints);
  return (
    <select className="select" value={value} onChange={(event) => onChange(event.target.value)} disabled={disabled}>
      <option value="">All endpoints</option>
      {endpoints.map((endpoint) => (
        <option key={endpoint.id} value={endpoint.id}>
          {endpoint.url}
        </option>
      ))}
    </select>
  );
}
