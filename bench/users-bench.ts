import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { runMigrations } from '@emporium/kit';
import { ensureSigningKey } from '../platform/keys.ts';
import { startPostgres } from '../platform/postgres.ts';
import { spawnService, waitUntilReady } from '../platform/processes.ts';
import { repoRoot } from '../platform/config.ts';
import { measure, printTable } from './measure.ts';

// `npm run bench`: GET /api/users/:id through the gateway against a bare Fastify route, same machine, same run.
const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);
const connections = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
// BENCH_PROFILE=dir writes a V8 CPU profile of each service to that folder when it stops.
const profileDir = process.env['BENCH_PROFILE'];
const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
const dir = await mkdtemp(path.join(tmpdir(), 'emporium-bench-'));
const pg = await startPostgres({ dataDir: path.join(dir, 'pg'), port: 27432, portAttempts: 50 });
const stops: Array<() => Promise<void>> = [];

try {
  await pg.ensureDatabase('users');
  await runMigrations(pg.url('users'), path.join(repoRoot, 'services/users/migrations'));
  const key = await ensureSigningKey(dir);
  const ports = { users: 27001, gateway: 27000, bare: 27099 };
  const users = spawnService({ name: 'users', script: path.join(repoRoot, 'services/users/src/server.ts'), logFile: path.join(dir, 'users.log'), nodeArgs, env: { PORT: String(ports.users), DATABASE_URL: pg.url('users'), JWT_PRIVATE_KEY: key, LOG_LEVEL: 'info' } });
  stops.push(users.stop);
  await waitUntilReady(`http://127.0.0.1:${ports.users}/ready`, 30_000, users.exited);
  const gateway = spawnService({ name: 'gateway', script: path.join(repoRoot, 'services/gateway/src/server.ts'), logFile: path.join(dir, 'gateway.log'), nodeArgs, env: { PORT: String(ports.gateway), USERS_URL: `http://127.0.0.1:${ports.users}`, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'info' } });
  stops.push(gateway.stop);
  await waitUntilReady(`http://127.0.0.1:${ports.gateway}/ready`, 30_000, gateway.exited);
  const bare = spawn(process.execPath, [path.join(repoRoot, 'bench/bare-server.ts'), String(ports.bare)], { stdio: ['ignore', 'pipe', 'inherit'] });
  stops.push(async () => void bare.kill('SIGTERM'));
  await new Promise<void>((r) => createInterface({ input: bare.stdout }).once('line', () => r()));

  const gw = `http://127.0.0.1:${ports.gateway}`;
  const body = JSON.stringify({ username: 'benchuser', email: 'bench@example.com', password: 'bench-password-1' });
  await fetch(`${gw}/api/users/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const login = (await (await fetch(`${gw}/api/users/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'benchuser', password: 'bench-password-1' }) })).json()) as { access_token: string; user: { id: number } };
  const auth = { authorization: `Bearer ${login.access_token}` };

  console.log(`${connections} connections, ${seconds} s per path, Node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
  const baseline = await measure('bare Fastify JSON route', `http://127.0.0.1:${ports.bare}/bare/1`, { seconds, connections, pids: { bare: bare.pid! } });
  const direct = await measure('GET /api/users/:id on the users service', `http://127.0.0.1:${ports.users}/api/users/${login.user.id}`, { seconds, connections, headers: auth, pids: { users: users.pid } });
  const through = await measure('GET /api/users/:id through the gateway', `${gw}/api/users/${login.user.id}`, { seconds, connections, headers: auth, pids: { gateway: gateway.pid, users: users.pid } });
  printTable([baseline, direct, through], baseline);
  for (const [name, port] of [['gateway', ports.gateway], ['users', ports.users]] as const) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const pick = (metric: string) => Math.round(Number(new RegExp(`^${metric}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text)?.[1] ?? 0) / 1048576);
    console.log(`${name}: heap used ${pick('emporium_nodejs_heap_size_used_bytes')} MB of ${pick('emporium_nodejs_heap_size_total_bytes')} MB, external ${pick('emporium_nodejs_external_memory_bytes')} MB, RSS now ${pick('emporium_process_resident_memory_bytes')} MB`);
  }
} finally {
  for (const stop of stops.reverse()) await stop();
  await pg.stop();
  await rm(dir, { recursive: true, force: true });
}
