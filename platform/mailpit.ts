import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { ensureGoTool, isPortFree } from './go-tools.ts';

const VERSION = 'v1.33.1';

export interface MailpitHandle {
  /** Where services send mail: smtp://127.0.0.1:PORT (no TLS, no auth: loopback only). */
  smtpUrl: string;
  /** The web inbox and its API (`/api/v1/...`). */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Mailpit (an SMTP server that keeps every mail, with an inbox and an API) built once with `go install`. */
export const ensureMailpit = (say?: (line: string) => void): Promise<string> =>
  ensureGoTool({
    name: 'mailpit',
    pkg: 'github.com/axllent/mailpit',
    version: VERSION,
    needs: 'Go 1.26 or later',
    takes: 'about a minute and a half',
    say,
  });

/**
 * Mailpit on loopback, trying successive port pairs when one is taken. Every listener is named on the
 * command line (its defaults are `[::]`), and it gets no inherited environment: `MP_*` variables would
 * override the flags. Messages live in `<dataDir>/mailpit.db`.
 */
export async function startMailpit(options: {
  dataDir: string;
  smtpPort: number;
  httpPort: number;
  portAttempts?: number;
  logFile?: string;
  say?: (line: string) => void;
}): Promise<MailpitHandle> {
  const bin = await ensureMailpit(options.say);
  await mkdir(options.dataDir, { recursive: true });
  const database = path.join(options.dataDir, 'mailpit.db');
  for (let i = 0; i < (options.portAttempts ?? 10); i++) {
    const smtpPort = options.smtpPort + i;
    const httpPort = options.httpPort + i;
    if (!(await isPortFree(smtpPort)) || !(await isPortFree(httpPort))) continue;
    const args = [
      ['--smtp', `127.0.0.1:${smtpPort}`],
      ['--listen', `127.0.0.1:${httpPort}`],
      ['--database', database],
      // Keep every mail (the default prunes past 500) and never call home.
      ['--max', '0'],
      ['--disable-version-check'],
      ['--smtp-disable-rdns'],
      // Reset links arrive here: refuse DNS-rebound requests (IP literals are always allowed).
      ['--allowed-hosts', 'localhost'],
    ].flat();
    const child = spawn(bin, args, { env: { PATH: process.env['PATH'] ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (b: Buffer) => {
        log?.write(b);
        output = (output + b.toString()).slice(-4_000);
      });
    }
    let gone = false;
    const exited = new Promise<void>((r) =>
      child.once('exit', () => {
        gone = true;
        log?.end();
        r();
      }),
    );
    const url = `http://127.0.0.1:${httpPort}`;
    const ready = await waitForMailpit(url, database, smtpPort, () => gone);
    if (!ready) {
      if (!gone) child.kill('SIGKILL');
      await exited;
      if (/address already in use/i.test(output)) continue;
      throw new Error(`Mailpit did not start: ${output.slice(-500)}`);
    }
    return {
      smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
      url,
      pid: child.pid!,
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      },
    };
  }
  throw new Error(`no free ports for Mailpit from ${options.smtpPort} (SMTP) and ${options.httpPort} (HTTP)`);
}

/** True once the API names our database file (another process on the port does not count) and SMTP greets. */
async function waitForMailpit(url: string, database: string, smtpPort: number, hasExited: () => boolean) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !hasExited()) {
    try {
      const res = await fetch(`${url}/api/v1/info`, { signal: AbortSignal.timeout(1_000) });
      const ours = res.ok && ((await res.json()) as { Database?: string }).Database === database;
      if (ours && (await smtpGreets(smtpPort)) && !hasExited()) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

const smtpGreets = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (b) => done(b.toString().startsWith('220')));
  });
