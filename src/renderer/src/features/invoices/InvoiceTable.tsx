import { formatPrice } from '../../../../shared/currencies.ts';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Chain, Invoice } from '../../../../shared/domain.ts';
import { navigate, routeHref } from '../../app/router.ts';
import { ExceptionBadge, StatusBadge } from '../../ui/StatusBadge.tsx';
import { formatDateTimeCompact, shortenMiddle } from '../../ui/format.ts';
import { chainName } from '../chains/chains-store.ts';

const ROW_HEIGHT = 52;
/** Start fetching the next page this many rows before the end, so scrolling never hits a wall. */
const PREFETCH_ROWS = 60;

interface InvoiceTableProps {
  rows: Invoice[];
  chains: Chain[];
  hasMore: boolean;
  loading: boolean;
  onLoadMore(): void;
}

const columns = ['Created', 'Order', 'Amount', 'Chain', 'Status', 'Deposit address'];

/**
 * A virtualized ARIA grid: only the visible rows (plus overscan) are in the DOM, so 100,000
 * loaded invoices scroll like 50. aria-rowcount/aria-rowindex tell assistive technology the
 * true size.
 */
export function InvoiceTable({ rows, chains, hasMore, loading, onLoadMore }: InvoiceTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // Roving tabindex: one Tab stop for the whole grid, arrows move between rows.
  const [activeIndex, setActiveIndex] = useState(0);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => rows[index]?.id ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? items[items.length - 1]!.index : -1;
  // If the active row scrolled out of the rendered window, the first rendered row keeps the grid reachable by Tab.
  const tabStop = items.some((item) => item.index === activeIndex) ? activeIndex : (items[0]?.index ?? 0);

  useEffect(() => {
    if (hasMore && !loading && lastIndex >= rows.length - PREFETCH_ROWS) onLoadMore();
  }, [lastIndex, rows.length, hasMore, loading, onLoadMore]);

  const onRowKeyDown = (event: KeyboardEvent<HTMLDivElement>, index: number) => {
    const row = rows[index];
    if (!row) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      navigate({ name: 'invoice', id: row.id });
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const target = Math.min(rows.length - 1, Math.max(0, index + (event.key === 'ArrowDown' ? 1 : -1)));
      setActiveIndex(target);
      virtualizer.scrollToIndex(target);
      requestAnimationFrame(() => {
        scrollRef.current?.querySelector<HTMLElement>(`[data-index="${target}"]`)?.focus();
      });
    }
  };

  return (
    <div
      className="invoice-grid"
      role="grid"
      aria-label="Invoices"
      aria-rowcount={hasMore ? -1 : rows.length + 1}
      aria-readonly="true"
      aria-busy={loading}
    >
      <div className="invoice-grid__head" role="rowgroup">
        <div className="invoice-row invoice-row--head" role="row" aria-rowindex={1}>
          {columns.map((column) => (
            <div key={column} role="columnheader" className="invoice-row__cell">
              {column}
            </div>
          ))}
        </div>
      </div>
      <div className="invoice-grid__scroll" ref={scrollRef} role="rowgroup">
        <div className="invoice-grid__canvas" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const invoice = rows[item.index]!;
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 2}
                data-index={item.index}
                tabIndex={item.index === tabStop ? 0 : -1}
                onFocus={() => setActiveIndex(item.index)}
                className="invoice-row"
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                onClick={() => navigate({ name: 'invoice', id: invoice.id })}
                onKeyDown={(event) => onRowKeyDown(event, item.index)}
              >
                <div role="gridcell" className="invoice-row__cell tabular muted">
                  {formatDateTimeCompact(invoice.createdAt)}
                </div>
                <div role="gridcell" className="invoice-row__cell invoice-row__order">
                  <a
                    href={routeHref({ name: 'invoice', id: invoice.id })}
                    tabIndex={-1}
                    onClick={(event) => event.stopPropagation()}
                    title={invoice.id}
                  >
                    {invoice.orderId ?? <span className="muted">{shortenMiddle(invoice.id, 8, 4)}</span>}
                  </a>
                </div>
                <div role="gridcell" className="invoice-row__cell invoice-row__amount tabular">
                  {invoice.amount} <span className="muted">{invoice.token.symbol}</span>
                  {invoice.price && <span className="muted small invoice-row__price">{formatPrice(invoice.price)}</span>}
                </div>
                <div role="gridcell" className="invoice-row__cell">
                  {chainName(chains, invoice.chainId)}
                </div>
                <div role="gridcell" className="invoice-row__cell invoice-row__badges">
                  <StatusBadge status={invoice.status} />
                  {invoice.exceptionStatus && <ExceptionBadge exception={invoice.exceptionStatus} />}
                </div>
                <div role="gridcell" className="invoice-row__cell mono muted" title={invoice.address}>
                  {shortenMiddle(invoice.address)}
                </div>
              </div>
            );
          })}
        </div>
        {loading && rows.length > 0 && (
          <p className="invoice-grid__more muted" role="status">
            Loading more invoices…
          </p>
        )}
      </div>
    </div>
  );
}
