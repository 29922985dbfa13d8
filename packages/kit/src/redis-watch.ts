import type { Logger } from 'pino';

interface EventSource {
  on(event: 'error' | 'ready', listener: (err?: Error) => void): unknown;
}

/**
 * A Redis client emits an error at every reconnect attempt while Redis is down. Handled (so the process
 * lives on) and logged once per outage, with a line when it is back.
 */
export function watchRedis(redis: EventSource | undefined, log: Pick<Logger, 'warn' | 'info'>): void {
  if (!redis) return;
  let down = false;
  redis.on('error', (err) => {
    if (down) return;
    down = true;
    log.warn({ err: err?.message }, 'Redis is unreachable; working without it until it is back');
  });
  redis.on('ready', () => {
    if (down) log.info('Redis is reachable again');
    down = false;
  });
}
