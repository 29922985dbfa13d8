import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { waitUntilReady } from '../../platform/processes.ts';

/** A port nothing listens on right now (the kernel's pick), for a child that must come back on the same one. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * One service run as a process of its own from its `server.ts`, on a fixed port, so a scenario can SIGKILL it and
 * start it again where its callers expect it. Its output is discarded (LOG_LEVEL warn keeps it small anyway).
 */
export function serviceChild(service: string, env: Record<string, string>) {
  const script = path.join(import.meta.dirname, `../../services/${service}/src/server.ts`);
  const url = `http://127.0.0.1:${env['PORT']}`;
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  const stopped = () => !child || child.exitCode !== null || child.signalCode !== null;
  return {
    url,
    get pid() {
      return child?.pid;
    },
    async start(): Promise<void> {
      child = spawn(process.execPath, [script], {
        env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...env },
        stdio: 'ignore',
      });
      exited = new Promise((resolve) => child!.once('exit', resolve));
      // 120 s, as under the launcher: several services start side by side on two shared cores.
      await waitUntilReady(`${url}/ready`, 120_000, exited);
    },
    async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
      if (stopped()) return;
      child!.kill(signal);
      await exited;
    },
  };
}

export type ServiceChild = ReturnType<typeof serviceChild>;
