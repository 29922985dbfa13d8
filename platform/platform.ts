import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { runMigrations } from '@emporium/kit';
import { repoRoot, type PlatformConfig } from './config.ts';
import { ensureSigningKey } from './keys.ts';
import { startPostgres, type PostgresHandle } from './postgres.ts';
import { findRedisServer, startRedis, type RedisHandle } from './redis.ts';
import { spawnService, waitUntilReady, type ServiceProcess } from './processes.ts';

export interface RunningPlatform {
  urls: Record<string, string>;
  pids: Record<string, number>;
  stop(): Promise<void>;
  /** Resolves with the name of the first service that exits on its own. */
  firstExit: Promise<string>;
}

type Say = (line: string) => void;

/** Starts the infrastructure, prepares each database, then the services, and waits until all are ready. */
export async function startPlatform(config: PlatformConfig, say: Say): Promise<RunningPlatform> {
  const logDir = path.join(config.dataDir, 'logs');
  await mkdir(logDir, { recursive: true });
  const running: ServiceProcess[] = [];
  let postgres: PostgresHandle | undefined;
  let redis: RedisHandle | undefined;

  const stop = async () => {
    // Services first (they drain requests and close pools), then the stores they used.
    await Promise.all(running.reverse().map((p) => p.stop()));
    await redis?.stop();
    await postgres?.stop();
  };

  try {
    let usersDb = config.usersDatabaseUrl;
    if (!usersDb) {
      say(`starting PostgreSQL (data in ${path.join(config.dataDir, 'postgres')})`);
      postgres = await startPostgres({ dataDir: path.join(config.dataDir, 'postgres'), port: config.postgresPort, log: () => undefined });
      await postgres.ensureDatabase('users');
      usersDb = postgres.url('users');
      say(`PostgreSQL ready on 127.0.0.1:${postgres.port}`);
    }
    const migrated = await runMigrations(usersDb, path.join(repoRoot, 'services/users/migrations'));
    if (migrated.applied.length) say(`users: applied migrations ${migrated.applied.join(', ')}`);

    let redisUrl = config.redisUrl;
    if (!redisUrl && findRedisServer()) {
      redis = await startRedis({ dataDir: path.join(config.dataDir, 'redis'), port: config.redisPort, persistent: true });
      redisUrl = redis.url;
      say(`Redis ready at ${redisUrl}`);
    } else if (!redisUrl) {
      say('redis-server is not installed (apt-get install redis-server): rate-limit counters stay in memory');
    }

    const jwtKey = await ensureSigningKey(config.dataDir);
    const onImportant = (name: string, line: string) => say(`[${name}] ${line}`);
    const common = { LOG_LEVEL: config.logLevel, HOST: '127.0.0.1', ...(config.bcryptCost ? { BCRYPT_COST: config.bcryptCost } : {}) };
    const services = [
      {
        name: 'users',
        port: config.usersPort,
        env: { ...common, PORT: String(config.usersPort), DATABASE_URL: usersDb, JWT_PRIVATE_KEY: jwtKey, ADMIN_EMAIL: config.adminEmail, ADMIN_PASSWORD: config.adminPassword },
      },
      {
        name: 'gateway',
        port: config.gatewayPort,
        env: {
          ...common,
          PORT: String(config.gatewayPort),
          USERS_URL: `http://127.0.0.1:${config.usersPort}`,
          RATE_LIMIT_PER_MINUTE: config.rateLimitPerMinute,
          ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
        },
      },
    ];
    for (const s of services) {
      const proc = spawnService({ name: s.name, script: path.join(repoRoot, `services/${s.name}/src/server.ts`), env: s.env, logFile: path.join(logDir, `${s.name}.log`), onImportant });
      running.push(proc);
      await waitUntilReady(`http://127.0.0.1:${s.port}/ready`, 30_000, proc.exited);
      say(`${s.name} ready (pid ${proc.pid})`);
    }
    const urls = Object.fromEntries(services.map((s) => [s.name, `http://127.0.0.1:${s.port}`]));
    const pids: Record<string, number> = Object.fromEntries(running.map((p) => [p.name, p.pid]));
    if (postgres) pids['postgres'] = postgres.pid;
    if (redis) pids['redis'] = redis.pid;
    const firstExit = Promise.race(running.map((p) => p.exited.then(() => p.name)));
    return { urls, pids, stop, firstExit };
  } catch (err) {
    await stop();
    throw err;
  }
}
