import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const VERSION = 'v0.203.0';
const BIN_DIR = path.resolve(import.meta.dirname, '..', '.cache', `stripe-mock-${VERSION}`);

export interface StripeMockHandle {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** stripe-mock (Stripe's API served from its OpenAPI spec) built once with `go install` from the module proxy. */
export async function ensureStripeMock(): Promise<string> {
  const bin = path.join(BIN_DIR, 'stripe-mock');
  if (existsSync(bin)) return bin;
  await promisify(execFile)('go', ['install', `github.com/stripe/stripe-mock@${VERSION}`], {
    env: { ...process.env, GOBIN: BIN_DIR },
    maxBuffer: 10 * 1024 * 1024,
  });
  return bin;
}

export const hasGo = async (): Promise<boolean> =>
  promisify(execFile)('go', ['version']).then(
    () => true,
    () => false,
  );

/** Both listeners on loopback: `-http-addr` alone would still open HTTPS on every interface. */
export async function startStripeMock(): Promise<StripeMockHandle> {
  const bin = await ensureStripeMock();
  const child = spawn(bin, ['-http-addr', '127.0.0.1:0', '-https-addr', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /Listening for HTTP at address: (127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(`http://${m[1]}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => reject(new Error(`stripe-mock exited: ${out.slice(-500)}`)));
  });
  return {
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
