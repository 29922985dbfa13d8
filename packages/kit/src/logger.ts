import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

// Anything that could hold a secret is censored at any depth of a logged object.
const SECRET_KEYS = new Set([
  'password',
  'new_password',
  'current_password',
  'password_hash',
  'token',
  'access_token',
  'refresh_token',
  'authorization',
  'cookie',
  'set-cookie',
  'card_number',
  'number',
  'cvc',
  'cvv',
  'exp_month',
  'exp_year',
  'secret',
  'api_key',
  'private_key',
  'jwt_private_key',
  'service_private_key',
  'serviceprivatekey',
  'privatekeypem',
]);
const CENSORED = '[REDACTED]';
const MAX_DEPTH = 8;

function censor(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (value instanceof Error || value instanceof Date || Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) return value.map((v) => censor(v, depth + 1));
  if (isPlainAndClean(value as Record<string, unknown>)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_KEYS.has(k.toLowerCase()) ? CENSORED : censor(v, depth + 1);
  return out;
}

// The request line of every response (method, url, status, duration) needs no copy: flat and no secret key.
function isPlainAndClean(obj: Record<string, unknown>): boolean {
  for (const k in obj) {
    const v = obj[k];
    if ((v !== null && typeof v === 'object') || SECRET_KEYS.has(k.toLowerCase())) return false;
  }
  return true;
}

/**
 * Censoring runs as a log formatter, so it costs only when a line is written. (pino's `redact` with
 * wildcard paths instead runs on every child logger, which Fastify makes for every request.)
 */
export const censorSecrets = (obj: Record<string, unknown>): Record<string, unknown> =>
  censor(obj, 0) as Record<string, unknown>;

export function loggerOptions(service: string, level: string): LoggerOptions {
  return {
    level,
    base: { service },
    messageKey: 'message',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }), log: censorSecrets },
  };
}

let stdout: DestinationStream | undefined;

/**
 * Where a service's log lines go: stdout, written in blocks of about 4 KB (one system call for dozens
 * of request lines instead of one each, which profiles showed as a tenth of a read's CPU) and at least
 * once a second. What is still buffered is written synchronously when the process exits: process.exit
 * (runService calls it after SIGTERM or SIGINT), an uncaught error, or an empty event loop. Only a
 * SIGKILL or a crash of the runtime itself can lose the last second of lines.
 */
export function logDestination(): DestinationStream {
  if (stdout) return stdout;
  const dest = pino.destination({ dest: 1, sync: true, minLength: LOG_BLOCK_BYTES, periodicFlush: 1_000 });
  const flush = () => {
    try {
      dest.flushSync();
    } catch {
      // Destroyed (EPIPE) or not yet open: nothing more can be written.
    }
  };
  process.on('exit', flush);
  // A signal nobody else handles (before runService listens, say) still ends the process as it would
  // have, but only after the buffer is written: flush, stop listening, raise the signal again.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.on(signal, function onSignal() {
      flush();
      if (process.listenerCount(signal) > 1) return;
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    });
  }
  stdout = dest;
  return dest;
}

const LOG_BLOCK_BYTES = 4096;

export function createLogger(service: string, level = 'info', destination?: DestinationStream): Logger {
  return pino(loggerOptions(service, level), destination ?? logDestination());
}

export type { Logger };
