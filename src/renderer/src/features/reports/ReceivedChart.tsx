import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ReportSummary, ReportTokenTotal } from '../../../../shared/reports.ts';
import { daysOf } from './report-periods.ts';

/** Tokens that share a unit (USDC on two chains) stack in one chart; different units never add up. */
export interface ReportUnit {
  id: string;
  symbol: string;
  tokens: ReportTokenTotal[];
}

export function unitsOf(tokens: ReportTokenTotal[]): ReportUnit[] {
  const units = new Map<string, ReportUnit>();
  for (const token of tokens) {
    // A token without decimals is in base units: a unit of its own, whatever its symbol.
    const id = token.decimals === null ? token.key : `${token.symbol}:${token.decimals}`;
    const unit = units.get(id) ?? { id, symbol: token.symbol, tokens: [] };
    unit.tokens.push(token);
    units.set(id, unit);
  }
  return [...units.values()];
}

export const seriesColor = (index: number): string => `var(--chart-${(index % 6) + 1})`;
export const seriesLabel = (token: ReportTokenTotal): string => `${token.symbol} · ${token.chain ?? `chain ${token.chainId}`}`;

const shortDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const dayLabel = (day: string): string => shortDay.format(new Date(`${day}T00:00:00Z`));

/** A stacked bar per UTC day, one series per chain's token of this unit. */
export function ReceivedChart({ unit, summary }: { unit: ReportUnit; summary: ReportSummary }) {
  const exact = new Map(summary.days.map((row) => [row.day, row.received]));
  const days = daysOf(summary.period);
  const data = (days.length > 0 ? days : summary.days.map((row) => row.day)).map((day) => {
    const received = exact.get(day) ?? {};
    // The one place money becomes a float: the bar heights on the y-axis. The tooltip, the
    // totals and the engine keep the exact decimal strings.
    return Object.fromEntries([
      ['day', day],
      ...unit.tokens.map((token) => [token.key, Number(received[token.key] ?? '0')]),
    ]) as Record<string, string | number>;
  });
  const titleId = `chart-${unit.id.replace(/[^a-z0-9]/gi, '-')}`;
  return (
    <figure className="report-chart" aria-labelledby={titleId} data-unit={unit.symbol}>
      <figcaption id={titleId} className="report-chart__title">
        Received per day, {unit.symbol}
      </figcaption>
      <ul className="report-chart__legend" aria-label={`Series, ${unit.symbol}`}>
        {unit.tokens.map((token, index) => (
          <li key={token.key}>
            <span className="report-chart__swatch" style={{ background: seriesColor(index) }} aria-hidden="true" />
            {seriesLabel(token)}
          </li>
        ))}
      </ul>
      <div className="report-chart__canvas">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid vertical={false} stroke="var(--border)" />
            <XAxis
              dataKey="day"
              tickFormatter={dayLabel}
              tick={{ fill: 'var(--text-muted)', fontSize: 12 }}
              stroke="var(--border-strong)"
              minTickGap={16}
            />
            <YAxis tick={{ fill: 'var(--text-muted)', fontSize: 12 }} stroke="var(--border-strong)" width={64} allowDecimals />
            <Tooltip
              cursor={{ fill: 'var(--surface-hover)' }}
              content={({ active, label }) => {
                if (!active || typeof label !== 'string') return null;
                const received = exact.get(label) ?? {};
                return (
                  <div className="report-chart__tooltip">
                    <p className="report-chart__tooltip-day">{dayLabel(label)}</p>
                    {unit.tokens.map((token) => (
                      <p key={token.key} className="tabular">
                        {seriesLabel(token)}: {received[token.key] ?? '0'}
                      </p>
                    ))}
                  </div>
                );
              }}
            />
            {unit.tokens.map((token, index) => (
              <Bar
                key={token.key}
                dataKey={token.key}
                name={seriesLabel(token)}
                stackId="received"
                fill={seriesColor(index)}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
