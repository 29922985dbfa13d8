import type { FastifyError } from 'fastify';
import { DomainError, type ErrorKind, type FieldProblem } from './errors.ts';
import { isTransientFailure } from './transient.ts';

/** What a client is told to wait before retrying when a database, cache or upstream is briefly unavailable. */
export const TRANSIENT_RETRY_AFTER_SECONDS = 5;

const statusByKind: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  payment_required: 402,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  bad_gateway: 502,
  unavailable: 503,
  timeout: 504,
  internal: 500,
};

const titleByStatus: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: FieldProblem[];
  [extra: string]: unknown;
}

export const statusOf = (kind: ErrorKind): number => statusByKind[kind];

export function problemOf(err: DomainError, instance?: string): Problem {
  const status = statusByKind[err.kind];
  return {
    ...err.extra,
    type: `https://emporium.dev/problems/${err.code.replaceAll('_', '-')}`,
    title: titleByStatus[status] ?? 'Error',
    status,
    detail: err.message,
    code: err.code,
    ...(instance ? { instance } : {}),
    ...(err.fields ? { errors: err.fields } : {}),
  };
}

interface AjvLikeError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
  keyword?: string;
}

function fieldOf(e: AjvLikeError, part: string): string {
  const base = (e.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
  const extra = e.params?.['additionalProperty'] ?? e.params?.['missingProperty'];
  const name = [base, typeof extra === 'string' ? extra : ''].filter(Boolean).join('.');
  return name || part;
}

/** Translates whatever a handler or Fastify threw into a DomainError, so the client always gets problem+json. */
export function toDomainError(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  const fe = err as FastifyError & { validation?: AjvLikeError[]; validationContext?: string };
  if (fe?.validation) {
    const part = fe.validationContext ?? 'body';
    const fields = fe.validation.map((e) => ({
      field: fieldOf(e, part),
      message: e.keyword === 'additionalProperties' ? 'is not an accepted field' : (e.message ?? 'is invalid'),
    }));
    return new DomainError('validation_failed', 'validation', `The request ${part} is invalid.`, { fields });
  }
  switch (fe?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new DomainError('payload_too_large', 'payload_too_large', 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new DomainError('unsupported_media_type', 'unsupported_media_type', 'Send the body as application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new DomainError('malformed_json', 'validation', 'The JSON body is empty.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new DomainError('malformed_json', 'validation', 'The body is not valid JSON.');
  }
  // Only Fastify's own body parsing is a client mistake: a SyntaxError from our code (a cache entry, an
  // upstream's answer) is a failure on our side and falls through to a logged 5xx.
  if (fe?.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
    return new DomainError('invalid_content_length', 'validation', 'The body does not match its Content-Length.');
  }
  // PostgreSQL refuses text it cannot store (a NUL character): the client sent it, so it is a 400.
  if (fe?.code === '22021' || fe?.code === '22P05') {
    const detail = 'The request contains characters that cannot be stored (such as NUL).';
    return new DomainError('invalid_characters', 'validation', detail);
  }
  if (isTransientFailure(err)) {
    const detail = 'A store we depend on is briefly unavailable; try again shortly.';
    return new DomainError('dependency_unavailable', 'unavailable', detail, {
      retryAfterSeconds: TRANSIENT_RETRY_AFTER_SECONDS,
      cause: err,
    });
  }
  const status = typeof fe?.statusCode === 'number' && !(fe instanceof SyntaxError) ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = status === 404 ? 'not_found' : status === 429 ? 'rate_limited' : 'bad_request';
    const kind: ErrorKind = status === 404 ? 'not_found' : status === 429 ? 'rate_limited' : 'validation';
    return new DomainError(code, kind, fe.message || 'The request is invalid.');
  }
  return new DomainError('internal_error', 'internal', 'Something went wrong on our side.', { cause: err });
}
