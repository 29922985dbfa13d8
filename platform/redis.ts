import { spawn } from 'node:child_process';
import { ensureDebianPackages, findCommand } from './debian.ts';
import { mkdir } from 'node:fs/promises';

export interface RedisHandle {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The machine's redis-server (Debian package), if installed. */
export const findRedisServer = (): string | undefined => findCommand('redis-server');

/**
 * The redis-server to run, installed from Debian's packages first when it is missing and we may. A platform
 * without Redis would silently run per-process caches and rate limits, which is not what the README promises.
 */
export function ensureRedisServer(say: (line: string) => void): string {
  ensureDebianPackages({ 'redis-server': 'redis-server' }, say, 'or set REDIS_URL to an existing Redis');
  return findRedisServer()!;
}

/** Starts a real Redis on loopback, trying successive ports when one is taken. */
export async function startRedis(options: {
  dataDir: string;
  port: number;
  portAttempts?: number;
  persistent?: boolean;
}): Promise<RedisHandle> {
  const bin = ensureRedisServer(() => undefined);
  await mkdir(options.dataDir, { recursive: true });
  for (let i = 0; i < (options.portAttempts ?? 10); i++) {
    const port = options.port + i;
    const args = [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      options.dataDir,
      '--protected-mode',
      'yes',
      '--daemonize',
      'no',
    ];
    args.push(...(options.persistent ? ['--appendonly', 'yes'] : ['--save', '', '--appendonly', 'no']));
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const outcome = await new Promise<string>((resolve) => {
      let out = '';
      const onData = (b: Buffer) => {
        out += b.toString();
        if (/Ready to accept connections/i.test(out)) resolve('ready');
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', () =>
        resolve(/Address already in use/i.test(out) ? 'port-taken' : `redis-server exited: ${out.slice(-500)}`),
      );
    });
    if (outcome === 'port-taken') continue;
    if (outcome !== 'ready') throw new Error(outcome);
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    return {
      url: `redis://127.0.0.1:${port}`,
      pid: child.pid!,
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        await exited;
      },
    };
  }
  throw new Error(`no free port for Redis from ${options.port}`);
}
