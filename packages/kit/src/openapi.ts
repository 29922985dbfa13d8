import { Type } from 'typebox';

// The problem+json body every error answer has (RFC 9457 plus our stable `code`), and the helper that lets
// each route list the errors it can really answer with, in one short expression.

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ format: 'uri' }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String(),
    code: Type.String({ description: 'Stable, machine-readable error code' }),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), message: Type.String() }), {
        description: 'The offending fields of a validation error',
      }),
    ),
  },
  { $id: 'Problem', additionalProperties: true, description: 'An error, as application/problem+json (RFC 9457)' },
);

/** The response schema of a 204. */
export const NoContent = Type.Null({ description: 'No content' });

const WHY: Record<ErrorStatus, string> = {
  400: 'The request is invalid: malformed JSON, or a field, parameter or query that breaks the schema',
  401: 'No access token, or one that is invalid or expired',
  402: 'The payment was declined',
  403: 'The caller may not do this (e.g. it needs the admin role)',
  404: 'No such resource (also answered for resources of other users)',
  409: 'The request conflicts with the current state',
  413: 'The body is too large',
  415: 'The body is not application/json',
  429: 'Too many requests; see Retry-After',
  431: 'The request headers, or its URL, are too large',
  502: 'A service this one depends on failed',
  503: 'A store or service this one depends on is briefly unavailable; see Retry-After',
  504: 'A service this one depends on did not answer in time',
};

export type ErrorStatus = 400 | 401 | 402 | 403 | 404 | 409 | 413 | 415 | 429 | 431 | 502 | 503 | 504;

const RETRY_AFTER = { 'Retry-After': { type: 'integer', minimum: 0, description: 'Seconds to wait before retrying' } };

/** The usual error sets, so a route's list reads as what it is. */
export const ERRORS = {
  /** A body that fails to parse or validate, is too large, or is not JSON. */
  body: [400, 413, 415] as ErrorStatus[],
  /** The route needs a valid access token. */
  signedIn: [401] as ErrorStatus[],
  /** The route needs the admin role. */
  admin: [401, 403] as ErrorStatus[],
};

/**
 * Response schemas for a route's error answers, as application/problem+json referring to the shared
 * Problem schema. 503 (a store briefly unavailable) can happen on every route and is always included;
 * the gateway adds what it answers itself (401 for a bad token, 413, 429, 502, 503, 504).
 */
export function errorResponses(...statuses: Array<ErrorStatus | ErrorStatus[]>): Record<number, unknown> {
  const all = new Set<ErrorStatus>([...statuses.flat(), 503]);
  const out: Record<number, unknown> = {};
  for (const status of [...all].sort()) {
    out[status] = {
      description: WHY[status],
      ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}),
      content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } },
    };
  }
  return out;
}
