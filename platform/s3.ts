import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { isPortFree } from './go-tools.ts';
import { createInterface } from 'node:readline';

/** s3rver's built-in account: it takes any signature (it checks none), but the key id must be this one. */
export const S3_LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3Handle {
  /** The S3 API, path-style: http://127.0.0.1:PORT/<bucket>/<key>. */
  endpoint: string;
  pid: number;
  /** Each event handed to the function, one JSON line each. */
  eventLog: string;
  /** Events that failed every attempt (Lambda's on-failure destination, as files). */
  deadLetterDir: string;
  stop(): Promise<void>;
}

/**
 * The local S3 API (s3rver, npm) in a child process on loopback, with the bucket and its notification:
 * objects created under `uploads/` are delivered to `invokeUrl` (the function under the emulator) as
 * S3 event notifications, retried and dead-lettered as Lambda's asynchronous invocation does.
 */
export async function startS3(options: {
  dataDir: string;
  port: number;
  portAttempts?: number;
  bucket: string;
  invokeUrl?: string;
  corsOrigins?: string[];
  retryDelaysMs?: number[];
  logFile?: string;
}): Promise<S3Handle> {
  await mkdir(options.dataDir, { recursive: true });
  for (let i = 0; i < (options.portAttempts ?? 10); i++) {
    const port = options.port === 0 ? 0 : options.port + i;
    if (port !== 0 && !(await isPortFree(port))) continue;
    const child = spawn(process.execPath, [path.join(import.meta.dirname, 's3-server.ts')], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        PATH: process.env['PATH'] ?? '',
        S3_DIR: options.dataDir,
        S3_PORT: String(port),
        S3_BUCKET: options.bucket,
        S3_CORS_ORIGINS: (options.corsOrigins ?? []).join(','),
        ...(options.invokeUrl ? { LAMBDA_INVOKE_URL: options.invokeUrl } : {}),
        ...(options.retryDelaysMs ? { S3_RETRY_DELAYS_MS: options.retryDelaysMs.join(',') } : {}),
      },
    });
    child.unref();
    const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
    let output = '';
    child.stderr!.on('data', (b: Buffer) => {
      log?.write(b);
      output = (output + b.toString()).slice(-2_000);
    });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const lines = createInterface({ input: child.stdout! });
    const first = await new Promise<string>((resolve) => {
      lines.once('line', resolve);
      void exited.then(() => resolve('exited'));
    });
    lines.on('line', (line) => log?.write(line + '\n'));
    void exited.then(() => log?.end());
    const ready = /^ready (http:\/\/127\.0\.0\.1:\d+)$/.exec(first);
    if (!ready) {
      if (/EADDRINUSE/.test(output)) continue;
      throw new Error(`the S3 server did not start: ${output.slice(-500)}`);
    }
    return {
      endpoint: ready[1]!,
      pid: child.pid!,
      eventLog: path.join(options.dataDir, 'events.jsonl'),
      deadLetterDir: path.join(options.dataDir, 'dead-letters'),
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      },
    };
  }
  throw new Error(`no free port for the S3 server from ${options.port}`);
}
