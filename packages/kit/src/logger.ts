import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

// Anything that could hold a secret is censored at any depth of a logged object.
const SECRET_KEYS = new Set([
  'password', 'new_password', 'current_password', 'password_hash', 'token', 'access_token', 'refresh_token', 'authorization',
  'cookie', 'set-cookie', 'card_number', 'number', 'cvc', 'cvv', 'exp_month', 'exp_year', 'secret', 'api_key', 'private_key', 'jwt_private_key',
  'service_private_key', 'serviceprivatekey', 'privatekeypem',
]);
const CENSORED = '[REDACTED]';
const MAX_DEPTH = 8;

function censor(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (value instanceof Error || value instanceof Date || Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) return value.map((v) => censor(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.has(k.toLowerCase()) ? CENSORED : censor(v, depth + 1);
  return out;
}

/**
 * Censoring runs as a log formatter, so it costs only when a line is written. (pino's `redact` with
 * wildcard paths instead runs on every child logger, which Fastify makes for every request.)
 */
export const censorSecrets = (obj: Record<string, unknown>): Record<string, unknown> => censor(obj, 0) as Record<string, unknown>;

export function loggerOptions(service: string, level: string): LoggerOptions {
  return {
    level,
    base: { service },
    messageKey: 'message',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }), log: censorSecrets },
  };
}

export function createLogger(service: string, level = 'info', destination?: DestinationStream): Logger {
  return pino(loggerOptions(service, level), destination);
}

export type { Logger };
