import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, openSync, closeSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ServiceProcess {
  name: string;
  pid: number;
  stop(): Promise<void>;
  exited: Promise<number | null>;
}

export interface SpawnOptions {
  name: string;
  script: string;
  env: Record<string, string>;
  logFile: string;
  /** V8 old-space cap, as NODE_OPTIONS would set it in a pod with the design's 256 Mi limit. */
  heapMb?: number;
  /** Young-generation semi-space; V8 shrinks it with a small heap cap, and a tiny one makes GC thrash. */
  semiSpaceMb?: number;
  /** Extra Node flags, e.g. --cpu-prof for a benchmark run. */
  nodeArgs?: string[];
  /** Called with each log line at warn level or above, for the console. */
  onImportant?: (name: string, line: string) => void;
}

/** Runs one service under this Node, its JSON logs appended to a file. */
export function spawnService(options: SpawnOptions): ServiceProcess {
  const args = [
    `--max-old-space-size=${options.heapMb ?? 128}`,
    `--max-semi-space-size=${options.semiSpaceMb ?? 16}`,
    ...(options.nodeArgs ?? []),
    options.script,
  ];
  const env = { ...inheritedEnv(), ...options.env, EMPORIUM_EXIT_WITH_PARENT: 'true' };
  if (!options.onImportant) {
    // Nothing to show on a console: the service writes straight to its file, with no relay in between.
    const fd = openSync(options.logFile, 'a');
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    return handleOf(options.name, child);
  }
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child: ChildProcess = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      log.write(line + '\n');
      if (options.onImportant && isImportant(line)) options.onImportant(options.name, line);
    });
  }
  const handle = handleOf(options.name, child);
  void handle.exited.then(() => log.end());
  return handle;
}

function handleOf(name: string, child: ChildProcess): ServiceProcess {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    pid: child.pid!,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function isImportant(line: string): boolean {
  if (!line.startsWith('{')) return true; // a crash trace or a config error
  return /"level":"(warn|error|fatal)"/.test(line);
}

// Only what a Node process needs from the launcher's environment; settings are passed explicitly.
function inheritedEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'LANG', 'TZ', 'NODE_OPTIONS'];
  return Object.fromEntries(keep.flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));
}

export async function waitUntilReady(url: string, timeoutMs: number, exited?: Promise<unknown>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited?.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`${url}: the process exited before it was ready`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${url} was not ready within ${timeoutMs} ms`);
}
