// Failures of a store or a connection that pass on their own: the caller is told to retry (503), never 500.

/** PostgreSQL SQLSTATEs: too many clients, timeouts, shutdowns, lock and serialization retries (class 08 below). */
const PG_TRANSIENT = new Set(['53300', '53400', '57014', '55P03', '57P01', '57P02', '57P03', '40001', '40P01']);
const NET_TRANSIENT = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** node-postgres and ioredis report a lost or slow connection as a plain Error with one of these messages. */
const MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /Connection terminated (unexpectedly|due to connection timeout)/i,
  /Query read timeout/i,
  /not queryable/i,
  /^Connection is closed\.?$/,
  /enableOfflineQueue options is false/,
  /^Command timed out$/,
];
/** AWS SDK (DynamoDB) error names for throttling and service trouble. */
const AWS_TRANSIENT = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'InternalServerError',
  'TimeoutError',
  'MaxRetriesPerRequestError',
]);

interface ErrorLike {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** True when `err` (or its cause, or one of an AggregateError's errors) is a dependency being briefly unavailable. */
export function isTransientFailure(err: unknown, depth = 0): boolean {
  if (err === null || typeof err !== 'object' || depth > 5) return false;
  const e = err as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : '';
  if (code.startsWith('08') && code.length === 5) return true; // SQLSTATE class 08: connection exception
  if (PG_TRANSIENT.has(code) || NET_TRANSIENT.has(code)) return true;
  if (typeof e.name === 'string' && AWS_TRANSIENT.has(e.name)) return true;
  if (typeof e.message === 'string' && MESSAGES.some((m) => m.test(e.message as string))) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isTransientFailure(x, depth + 1))) return true;
  return isTransientFailure(e.cause, depth + 1);
}
