import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { ensureGoTool } from './go-tools.ts';

const VERSION = 'v1.56.1';

export interface FakeGcsHandle {
  /** The storage root URL (Flink's `gs.storage.root.url`). */
  url: string;
  pid: number;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** fake-gcs-server (the GCS JSON and upload APIs over a folder), built once with `go install` like Mailpit. */
export const ensureFakeGcs = (say?: (line: string) => void): Promise<string> =>
  ensureGoTool({ name: 'fake-gcs-server', pkg: 'github.com/fsouza/fake-gcs-server', version: VERSION, say });

/** Plain HTTP on loopback, objects kept under `dataDir`. */
export async function startFakeGcs(options: { port: number; dataDir: string; say?: (line: string) => void }) {
  const bin = await ensureFakeGcs(options.say);
  await mkdir(options.dataDir, { recursive: true });
  const url = `http://127.0.0.1:${options.port}`;
  const args = ['-scheme', 'http', '-host', '127.0.0.1', '-port', String(options.port), '-public-host'];
  args.push(
    `127.0.0.1:${options.port}`,
    '-backend',
    'filesystem',
    '-filesystem-root',
    options.dataDir,
    '-log-level',
    'warn',
  );
  const child = spawn(bin, args, { env: { PATH: process.env['PATH'] ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  for (const stream of [child.stdout, child.stderr])
    stream.on('data', (b: Buffer) => (output = (output + b).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let gone = false;
  void exited.then(() => (gone = true));
  for (const deadline = Date.now() + 20_000; ; await new Promise((r) => setTimeout(r, 100))) {
    const ok = await fetch(`${url}/storage/v1/b`, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (gone || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`fake-gcs-server did not start: ${output}`);
    }
  }
  const handle: FakeGcsHandle = {
    url,
    pid: child.pid!,
    async createBucket(name) {
      const res = await fetch(`${url}/storage/v1/b?project=emporium`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      if (!res.ok) throw new Error(`creating bucket ${name}: ${res.status} ${await res.text()}`);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  return handle;
}
