import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface DynamoHandle {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * dynalite: a DynamoDB API implementation (on LevelDB) in a child process on loopback. With a data
 * directory its tables survive a restart; without one they live in memory (tests).
 */
export async function startDynamo(options: {
  dataDir?: string;
  port: number;
  portAttempts?: number;
}): Promise<DynamoHandle> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  for (let i = 0; i < (options.portAttempts ?? 10); i++) {
    const port = options.port + i;
    const child = spawn(
      process.execPath,
      [
        path.join(import.meta.dirname, 'dynamodb-server.ts'),
        String(port),
        ...(options.dataDir ? [options.dataDir] : []),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const first = await new Promise<string>((resolve) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      void exited.then(() => resolve('exited'));
    });
    if (first === 'port-taken') continue;
    if (first !== 'listening') throw new Error(`dynalite failed to start: ${first}`);
    return {
      endpoint: `http://127.0.0.1:${port}`,
      pid: child.pid!,
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      },
    };
  }
  throw new Error(`no free port for DynamoDB from ${options.port}`);
}
