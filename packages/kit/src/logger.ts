import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

// Anything that could hold a secret is censored wherever it appears in a log object.
const secretKeys = [
  'password', 'new_password', 'password_hash', 'token', 'access_token', 'refresh_token', 'authorization',
  'cookie', 'card_number', 'number', 'cvc', 'cvv', 'exp_month', 'exp_year', 'secret', 'api_key', 'private_key',
];

export const redactPaths = [
  ...secretKeys,
  ...secretKeys.map((k) => `*.${k}`),
  ...secretKeys.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

export function loggerOptions(service: string, level: string): LoggerOptions {
  return {
    level,
    base: { service },
    messageKey: 'message',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: redactPaths, censor: '[REDACTED]' },
  };
}

export function createLogger(service: string, level = 'info', destination?: DestinationStream): Logger {
  return pino(loggerOptions(service, level), destination);
}

export type { Logger };
