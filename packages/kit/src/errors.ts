// One error type for every service; `kind` decides the HTTP status in exactly one place (problem.ts).
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'payment_required'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'bad_gateway'
  | 'unavailable'
  | 'timeout'
  | 'internal';

export interface FieldProblem {
  field: string;
  message: string;
}

export interface DomainErrorOptions {
  fields?: FieldProblem[];
  /** Extra members copied into the problem body, e.g. `order_id`. */
  extra?: Record<string, unknown>;
  /** Sent as a Retry-After header (seconds). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class DomainError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly fields: FieldProblem[] | undefined;
  readonly extra: Record<string, unknown> | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: string, kind: ErrorKind, message: string, options: DomainErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'DomainError';
    this.code = code;
    this.kind = kind;
    this.fields = options.fields;
    this.extra = options.extra;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const isDomainError = (err: unknown): err is DomainError => err instanceof DomainError;
