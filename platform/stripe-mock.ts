import { spawn } from 'node:child_process';
import { ensureGoTool } from './go-tools.ts';

const VERSION = 'v0.203.0';

export interface StripeMockHandle {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** stripe-mock (Stripe's API served from its OpenAPI spec) built once with `go install` from the module proxy. */
export const ensureStripeMock = (): Promise<string> =>
  ensureGoTool({
    name: 'stripe-mock',
    pkg: 'github.com/stripe/stripe-mock',
    version: VERSION,
    needs: 'Go 1.22 or later',
  });

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
