import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createPool, createTokenVerifier, type Pool } from '@emporium/kit';
import { captureLogs, createTestDatabase, newServiceKeys } from '@emporium/kit/testing';
import { buildApp as buildAnalytics } from '../../services/analytics/src/app.ts';
import { readConfig as analyticsConfig } from '../../services/analytics/src/config.ts';
import { buildApp as buildNotifications } from '../../services/notifications/src/app.ts';
import { readConfig as notificationsConfig } from '../../services/notifications/src/config.ts';
import { testBrokers } from '@emporium/messaging/testing';
import { startShop } from '../checkout/shop.ts';

const addr = (app: FastifyInstance) => `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

/**
 * The checkout shop with the notification and analytics services behind the gateway too, so their routes
 * are in the gateway's merged API document the sweeps read. Their HTTP side only: no consumer runs (the
 * shared broker carries other suites' orders), and no mail leaves (no SMTP server is named).
 */
export async function startSweepShop() {
  const pools: Pool[] = [];
  const drops: Array<() => Promise<void>> = [];
  const db = async (service: string) => {
    const created = await createTestDatabase(path.join(import.meta.dirname, `../../services/${service}/migrations`));
    const pool = createPool(created.url, 5);
    pools.push(pool);
    drops.push(created.drop);
    return { url: created.url, pool };
  };
  let notificationsPool: Pool | undefined;
  const shop = await startShop({
    extraServices: async ({ usersUrl, jwks }) => {
      const keys = await newServiceKeys(['notifications']);
      const notes = await db('notifications');
      notificationsPool = notes.pool;
      const notifications = await buildNotifications(
        notificationsConfig({
          DATABASE_URL: notes.url,
          USERS_URL: usersUrl,
          JWKS_URL: jwks,
          SERVICE_PRIVATE_KEY: keys.privateKeys['notifications']!,
          KAFKA_BROKERS: testBrokers().join(','),
          // Nothing listens there: a message the sweep got queued is never sent anywhere.
          SMTP_URL: 'smtp://127.0.0.1:9',
          LOG_LEVEL: 'warn',
        }),
        { pool: notes.pool, logStream: captureLogs().stream },
      );
      await notifications.listen({ port: 0, host: '127.0.0.1' });
      const results = await db('analytics');
      const analytics = await buildAnalytics(
        analyticsConfig({ DATABASE_URL: results.url, JWKS_URL: jwks, LOG_LEVEL: 'warn' }),
        {
          pool: results.pool,
          verify: createTokenVerifier({ jwksUrl: jwks }),
          logStream: captureLogs().stream,
        },
      );
      await analytics.listen({ port: 0, host: '127.0.0.1' });
      return {
        gatewayEnv: { NOTIFICATIONS_URL: addr(notifications), ANALYTICS_URL: addr(analytics) },
        async close() {
          await notifications.close();
          await analytics.close();
          for (const pool of pools) await pool.end();
          for (const drop of drops) await drop();
        },
      };
    },
  });
  return { ...shop, notificationsPool: notificationsPool! };
}

export type SweepShop = Awaited<ReturnType<typeof startSweepShop>>;
