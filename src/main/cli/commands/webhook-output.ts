// How `till webhooks` shows endpoints, the delivery log and an attempt's outcome to a person (--json aside).
import type { WebhookDelivery, WebhookDeliveryDetail, WebhookEndpoint } from '../../../shared/webhooks.ts';
import { print } from '../context.ts';
import { formatTable, printable, shortTime } from '../table.ts';

/** How much of a stored response body (up to 4 KiB) `show` prints; --json has all of it. */
const RESPONSE_HEAD_CHARS = 600;

const secretHints = (endpoint: WebhookEndpoint): string =>
  endpoint.secrets
    .map((secret) => (secret.expiresAt ? `${secret.hint} (until ${shortTime(secret.expiresAt)})` : secret.hint))
    .join(', ');

function endpointState(endpoint: WebhookEndpoint): string {
  if (endpoint.enabled) return 'enabled';
  return endpoint.disabledReason ? `disabled: ${endpoint.disabledReason}` : 'disabled';
}

function lastAnswer(status: number | null, error: string | null): string {
  if (status !== null) return String(status);
  return error ? error.slice(0, 48) : '-';
}

export function printEndpoints(endpoints: WebhookEndpoint[]): void {
  print(
    formatTable(
      ['ID', 'URL', 'EVENTS', 'STATE', 'OK 24H', 'LAST ATTEMPT', 'UNDELIVERED', 'DEAD', 'SECRET'],
      endpoints.map((endpoint) => {
        const health = endpoint.health;
        return [
          endpoint.id,
          endpoint.url,
          endpoint.events.join(','),
          endpointState(endpoint),
          health.successRate24h === null ? '-' : `${Math.round(health.successRate24h * 100)}% of ${health.attempts24h}`,
          health.lastAttemptAt
            ? `${lastAnswer(health.lastHttpStatus, health.lastError)} at ${shortTime(health.lastAttemptAt)}`
            : 'never',
          health.undelivered === 0 ? '0' : `${health.undelivered} since ${shortTime(health.oldestUndeliveredAt)}`,
          String(health.dead),
          secretHints(endpoint),
        ];
      }),
    ),
  );
}

export function printDeliveries(deliveries: WebhookDelivery[]): void {
  print(
    formatTable(
      ['DELIVERY', 'EVENT', 'INVOICE', 'SEQ', 'ENDPOINT', 'STATUS', 'ATTEMPTS', 'LAST', 'NEXT ATTEMPT', 'CREATED'],
      deliveries.map((delivery) => [
        delivery.id,
        delivery.eventType,
        delivery.invoiceId ?? '-',
        String(delivery.sequence),
        delivery.endpointId,
        delivery.redelivery ? `${delivery.status} (redelivery)` : delivery.status,
        String(delivery.attempts),
        lastAnswer(delivery.lastHttpStatus, delivery.lastError),
        shortTime(delivery.nextAttemptAt),
        shortTime(delivery.createdAt),
      ]),
    ),
  );
}

export function printDeliveryDetail(detail: WebhookDeliveryDetail): void {
  const next = detail.nextAttemptAt ? `; next attempt at ${shortTime(detail.nextAttemptAt)}` : '';
  print(`Delivery    ${detail.id}${detail.redelivery ? ' (redelivery: sent with Till-Redelivery: true)' : ''}`);
  print(`Event       ${detail.eventId}  ${detail.eventType}  sequence ${detail.sequence}`);
  print(`Invoice     ${detail.invoiceId ?? '-'}`);
  print(`Endpoint    ${detail.endpointId}  ${detail.endpointUrl}`);
  print(`Status      ${detail.status} after ${detail.attempts} attempt(s)${next}`);
  print(`Created     ${shortTime(detail.createdAt)}   completed ${shortTime(detail.completedAt)}`);
  print();
  if (detail.attemptLog.length === 0) print('Attempts    none yet');
  else {
    print('Attempts');
    print(
      formatTable(
        ['  #', 'STARTED', 'DURATION', 'HTTP', 'ERROR'],
        detail.attemptLog.map((attempt) => [
          `  ${attempt.attempt}`,
          shortTime(attempt.startedAt),
          attempt.durationMs === null ? (attempt.finishedAt ? '-' : 'out now') : `${attempt.durationMs} ms`,
          attempt.httpStatus === null ? '-' : String(attempt.httpStatus),
          attempt.error ?? '',
        ]),
      ),
    );
    for (const attempt of detail.attemptLog) {
      if (!attempt.responseBody) continue;
      const head = attempt.responseBody.slice(0, RESPONSE_HEAD_CHARS);
      const more = attempt.responseBody.length - head.length;
      print(
        `Response body of attempt ${attempt.attempt}${more > 0 ? ` (first ${head.length} characters; --json shows all)` : ''}:`,
      );
      print(
        printable(head)
          .split('\n')
          .map((line) => `  ${line}`)
          .join('\n'),
      );
    }
  }
  print();
  print('Request body (the exact bytes every attempt signed and sent):');
  print(printable(detail.requestBody));
}

/**
 * One line on what happened to a delivery this command attempted, and whether the receiver took
 * it. The attempt ran in this process, or in a running Till that picked the delivery up first.
 */
export function outcomeOf(detail: WebhookDeliveryDetail): { delivered: boolean; line: string } {
  const attempt = detail.attemptLog.at(-1);
  const what = `${detail.eventType} ${detail.eventId} to ${detail.endpointUrl} (delivery ${detail.id})`;
  if (detail.status === 'succeeded')
    return { delivered: true, line: `Delivered ${what}: HTTP ${attempt?.httpStatus} in ${attempt?.durationMs ?? '-'} ms.` };
  if (!attempt || detail.status === 'pending')
    return {
      delivered: false,
      line: `Queued ${what}; it goes out when till serve or the desktop app runs on this data folder.`,
    };
  if (detail.status === 'sending')
    return {
      delivered: false,
      line: `${what} is still being sent by a running Till. See its outcome with: till webhooks show ${detail.id}`,
    };
  const answer = attempt.error ?? (attempt.httpStatus === null ? 'no answer' : `HTTP ${attempt.httpStatus}`);
  const gone = attempt.httpStatus === 410 ? ' The endpoint answered 410 Gone, so Till disabled it.' : '';
  const next =
    detail.status === 'dead'
      ? ' Till gave up on it.'
      : gone
        ? ''
        : detail.nextAttemptAt
          ? ` Till tries again at ${shortTime(detail.nextAttemptAt)} while till serve or the desktop app runs.`
          : detail.eventType === 'ping'
            ? ' A ping is tried once: send another when the endpoint is fixed.'
            : '';
  return { delivered: false, line: `Not delivered: ${what}: ${answer}.${gone}${next} Details: till webhooks show ${detail.id}` };
}
