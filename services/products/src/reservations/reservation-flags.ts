import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { Flags } from '@emporium/kit';

/**
 * The `catalogLatencyMs` flag: every reservation call the order service makes (reserve, commit, release)
 * waits this long before it is handled, as a slow catalog would. The reservation sweeper is not slowed.
 */
export function catalogLatencyFlag(app: FastifyInstance, flags: Pick<Flags, 'number'>): void {
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/internal/reservations')) return;
    const ms = flags.number('catalogLatencyMs');
    if (ms > 0) await sleep(ms);
  });
}
