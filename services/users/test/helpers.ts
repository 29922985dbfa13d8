import path from 'node:path';
import { createPool, DEFAULT_DATABASE_TIMEOUTS, warmPool } from '@emporium/kit';
import { captureLogs, createTestDatabase, newSigningKey } from '@emporium/kit/testing';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';

export const migrationsDir = path.join(import.meta.dirname, '..', 'migrations');

/** A users service on a fresh, migrated database of the real test PostgreSQL. */
export async function startUsers(env: Record<string, string> = {}) {
  const db = await createTestDatabase(migrationsDir);
  const key = newSigningKey();
  const config = readConfig({
    DATABASE_URL: db.url,
    JWT_PRIVATE_KEY: key.pem,
    BCRYPT_COST: '4',
    LOG_LEVEL: 'info',
    ...env,
  });
  const pool = createPool(config.databaseUrl, 20, { ...DEFAULT_DATABASE_TIMEOUTS, min: config.databasePoolMin });
  await warmPool(pool, config.databasePoolMin);
  const logs = captureLogs();
  const app = await buildApp(config, { pool, logStream: logs.stream });
  /** The reset links asked of the notification service: the `notification_requested` events in the outbox. */
  const resetMails = async (): Promise<Array<{ email: string; token: string; userId: number }>> => {
    const { rows } = await pool.query<{ email: string; token: string; user_id: number }>(
      `SELECT u.email, o.payload->'data'->>'reset_token' AS token, u.id AS user_id
       FROM outbox o JOIN users u ON u.id = (o.payload->>'user_id')::int
       WHERE o.event_type = 'notification_requested' ORDER BY o.id`,
    );
    return rows.map((r) => ({ email: r.email, token: r.token, userId: r.user_id }));
  };
  await app.ready();
  return {
    app,
    pool,
    databaseUrl: db.url,
    key,
    logs,
    resetMails,
    async close() {
      await app.close();
      await pool.end();
      await db.drop();
    },
  };
}

export type Users = Awaited<ReturnType<typeof startUsers>>;

export async function register(u: Users, name: string, extra: Record<string, unknown> = {}) {
  const res = await u.app.inject({
    method: 'POST',
    url: '/api/users/register',
    payload: { username: name, email: `${name}@example.com`, password: 'a-good-password', ...extra },
  });
  return res;
}

export async function login(u: Users, name: string, password = 'a-good-password') {
  return u.app.inject({ method: 'POST', url: '/api/users/login', payload: { username: name, password } });
}

/** Registers and logs in; returns the id and both tokens. */
export async function signUp(u: Users, name: string) {
  const reg = await register(u, name);
  if (reg.statusCode !== 201) throw new Error(`register ${name}: ${reg.statusCode} ${reg.body}`);
  const res = await login(u, name);
  const body = res.json() as { access_token: string; refresh_token: string; user: { id: number } };
  return {
    id: body.user.id,
    access: body.access_token,
    refresh: body.refresh_token,
    auth: { authorization: `Bearer ${body.access_token}` },
  };
}
