import type { ExceptionStatus, InvoiceStatus } from '../../../shared/domain.ts';
import { exceptionLabels, statusLabels } from './format.ts';

export function StatusBadge({ status }: { status: InvoiceStatus }) {
  return (
    <span className={`badge badge--${status}`}>
      <span className="badge__dot" aria-hidden="true" />
      {statusLabels[status]}
    </span>
  );
}

export function ExceptionBadge({ exception }: { exception: ExceptionStatus }) {
  return <span className="badge badge--exception">{exceptionLabels[exception]}</span>;
}
