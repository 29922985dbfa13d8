import { spawn, execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';

export interface RedisHandle {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The machine's redis-server (Debian package), if installed. */
export function findRedisServer(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Starts a real Redis on loopback, trying successive ports when one is taken. */
export async function startRedis(options: { dataDir: string; port: number; portAttempts?: number; persistent?: boolean }): Promise<RedisHandle> {
  const bin = findRedisServer();
  if (!bin) throw new Error('redis-server is not installed (Debian: apt-get install redis-server)');
  await mkdir(options.dataDir, { recursive: true });
  for (let i = 0; i < (options.portAttempts ?? 10); i++) {
    const port = options.port + i;
    const args = ['--bind', '127.0.0.1', '--port', String(port), '--dir', options.dataDir, '--protected-mode', 'yes', '--daemonize', 'no'];
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
      child.once('exit', () => resolve(/Address already in use/i.test(out) ? 'port-taken' : `redis-server exited: ${out.slice(-500)}`));
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
