import { DomainError } from '@emporium/kit';

// Connection-level failures: refused, reset, timed out, or PostgreSQL shutting down / starting / full.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const PG_UNAVAILABLE = /^(08...|53300|57P01|57P02|57P03)$/;
const MESSAGES = new RegExp(
  [
    'Connection terminated',
    'connection timeout',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error',
  ].join('|'),
  'i',
);

/** True when the error says the database could not be reached, as opposed to a bug or a refused query. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof e?.code === 'string' && (NETWORK_CODES.has(e.code) || PG_UNAVAILABLE.test(e.code))) return true;
  // Connecting to "localhost" tries every address and fails with an AggregateError of them.
  if (Array.isArray(e?.errors) && e.errors.length > 0 && e.errors.every(isDatabaseUnavailable)) return true;
  return typeof e?.message === 'string' && MESSAGES.test(e.message);
}

/** A database that is briefly away is a 503 the client may retry, never a 500. */
export function databaseUnavailable(cause: unknown): DomainError {
  const detail = 'The account database is briefly unavailable; try again shortly.';
  return new DomainError('database_unavailable', 'unavailable', detail, {
    retryAfterSeconds: 5,
    cause,
  });
}
