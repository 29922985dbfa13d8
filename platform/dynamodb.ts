import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import dynalite from 'dynalite';

export interface DynamoHandle {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * dynalite: a DynamoDB API implementation (on LevelDB) run inside this process, on loopback. With a
 * path its data survives a restart; without one it lives in memory (tests).
 */
export async function startDynamo(options: { dataDir?: string; port: number; portAttempts?: number }): Promise<DynamoHandle> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  for (let i = 0; i < (options.portAttempts ?? 10); i++) {
    const port = options.port + i;
    const server: Server = dynalite({ ...(options.dataDir ? { path: options.dataDir } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    const outcome = await new Promise<'ok' | 'taken' | Error>((resolve) => {
      server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE' ? 'taken' : err));
      server.listen(port, '127.0.0.1', () => resolve('ok'));
    });
    if (outcome === 'taken') continue;
    if (outcome instanceof Error) throw outcome;
    return {
      endpoint: `http://127.0.0.1:${port}`,
      stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
  throw new Error(`no free port for DynamoDB from ${options.port}`);
}
