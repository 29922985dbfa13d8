import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot, readPlatformConfig } from '../platform/config.ts';
import { startInfrastructure, type Infrastructure } from '../platform/infrastructure.ts';
import { ensureServiceKeys, ensureSigningKey, SERVICE_CALLERS } from '../platform/keys.ts';
import { spawnService, waitUntilReady } from '../platform/processes.ts';

/** Real stores and real service processes for a benchmark, on ports of its own; `stop` ends them all. */
export async function startBenchStack() {
  const dir = await mkdtemp(path.join(tmpdir(), 'emporium-bench-'));
  // mkdtemp makes it 0700; the platform made it, so it may open it for the postgres user (run as root).
  await chmod(dir, 0o755);
  const config = readPlatformConfig({
    EMPORIUM_DATA_DIR: dir,
    EMPORIUM_PG_PORT: String(27432 + portOffset()),
    EMPORIUM_REDIS_PORT: String(27379 + portOffset()),
    EMPORIUM_DYNAMODB_PORT: String(27800 + portOffset()),
    EMPORIUM_KAFKA_PORT: String(27092 + portOffset()),
    EMPORIUM_SMTP_PORT: String(27025 + portOffset()),
    EMPORIUM_MAILPIT_PORT: String(27825 + portOffset()),
    EMPORIUM_MAIL_INBOX_PORT: String(27826 + portOffset()),
  });
  const infra: Infrastructure = await startInfrastructure(config, () => undefined);
  const jwtKey = await ensureSigningKey(dir);
  const serviceKeys = await ensureServiceKeys(dir, SERVICE_CALLERS);
  // As the launcher does: every service gets the (public) trusted keys, a caller also its private key.
  const identityEnv = (name: string): Record<string, string> => ({
    SERVICE_TRUSTED_KEYS: serviceKeys.trustedKeys,
    ...(serviceKeys.privateKeys[name] ? { SERVICE_PRIVATE_KEY: serviceKeys.privateKeys[name] } : {}),
  });
  const stops: Array<() => Promise<void>> = [];
  // BENCH_PROFILE=dir writes a V8 CPU profile of each service to that folder when it stops.
  const profileDir = process.env['BENCH_PROFILE'];
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];

  async function service(name: string, script: string, port: number, env: Record<string, string>): Promise<number> {
    const logFile = path.join(dir, `${name}.log`);
    const fullEnv = { PORT: String(port), LOG_LEVEL: 'info', ...identityEnv(name), ...env };
    const proc = spawnService({ name, script: path.join(repoRoot, script), logFile, nodeArgs, env: fullEnv });
    stops.push(proc.stop);
    // 120 s, as under the launcher: six services starting side by side on two shared cores.
    await waitUntilReady(`http://127.0.0.1:${port}/ready`, 120_000, proc.exited);
    return proc.pid;
  }

  async function bare(port: number): Promise<number> {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bench/bare-server.ts'), String(port)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    stops.push(async () => void child.kill('SIGTERM'));
    await new Promise<void>((r) => createInterface({ input: child.stdout }).once('line', () => r()));
    return child.pid!;
  }

  return {
    infra,
    jwtKey,
    service,
    bare,
    async stop() {
      for (const stop of stops.reverse()) await stop();
      await infra.stop();
      // BENCH_KEEP=1 leaves the data and the services' logs behind, for looking into a run.
      if (process.env['BENCH_KEEP']) console.log(`kept ${dir}`);
      else await rm(dir, { recursive: true, force: true });
    },
  };
}

// BENCH_PORT_OFFSET=n moves every port of a run by n, so two runs on one machine do not collide.
const portOffset = () => Number(process.env['BENCH_PORT_OFFSET'] ?? 0);
export const shiftPorts = <T extends Record<string, number>>(ports: T): T =>
  Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, v + portOffset()])) as T;

export const settings = () => ({
  seconds: Number(process.env['BENCH_SECONDS'] ?? 10),
  connections: Number(process.env['BENCH_CONNECTIONS'] ?? 32),
});
