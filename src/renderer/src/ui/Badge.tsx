import type { ReactNode } from 'react';

/**
 * The status colours by meaning rather than by invoice status, for everything else that has a
 * state: chain scan state, RPC circuit, alert severity. ok = confirmed green, active = detected
 * blue, warn = pending amber, bad = invalid red, neutral = expired grey.
 */
export type Tone = 'ok' | 'active' | 'warn' | 'bad' | 'neutral';

export function ToneBadge({ tone, children, dot = true }: { tone: Tone; children: ReactNode; dot?: boolean }) {
  return (
    <span className={`badge badge--tone-${tone}`}>
      {dot && <span className="badge__dot" aria-hidden="true" />}
      {children}
    </span>
  );
}
