import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, statSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';

// The Flink analytics job (analytics/), compiled and run with its jars from Maven Central, like the Kafka broker.
const FLINK_VERSION = '2.2.0'; // keep in step with analytics/pom.xml
const REPO = path.resolve(import.meta.dirname, '..');
const PROJECT = path.join(REPO, 'analytics');
const CLASSES = path.join(PROJECT, 'target', 'classes');
const STAMP = path.join(PROJECT, 'target', 'compiled.stamp');
const MARKER = 'flink-connector-kafka-5.0.0-2.2.jar';
// Start-up is 30 s on a quiet machine; the shared 2-core one (load average 40+) has taken over three minutes.
const READY_TIMEOUT_MS = 360_000;
const STOP_TIMEOUT_MS = 40_000;

export interface AnalyticsOptions {
  brokers: string[];
  /** file:/// or gs:// base for checkpoints, results and the lake. */
  storageUrl: string;
  metricsPort: number;
  restPort: number;
  blobPort: number;
  checkpointIntervalMs?: number;
  sourceTopic?: string;
  resultsTopic?: string;
  groupId?: string;
  gcsEndpoint?: string;
  /** Shorter windows close in seconds (tests); 300, 30 and 60 s by default. */
  windows?: { sizeSeconds: number; latenessSeconds: number; idleTimeoutSeconds?: number };
  heapMb?: number;
  /** Task slots and default parallelism (1). */
  parallelism?: number;
  /** C1 only: starts faster, runs slower (tests). */
  quickStart?: boolean;
  /** More JVM options after the defaults (the benchmark's profiling and GC experiments). */
  jvmOptions?: string[];
  logFile?: string;
  /** Each line the job prints (its state every 30 s, warnings). */
  onLine?: (line: string) => void;
}

export interface AnalyticsHandle {
  pid: number;
  metricsUrl: string;
  exited: Promise<number | null>;
  /** SIGTERM: the job cancels itself, keeping its last checkpoint. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
}

type Say = (line: string) => void;

export function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command, args, {
      cwd: REPO,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (b: Buffer) => (output += b.toString()));
    child.once('error', (err) => resolve({ code: -1, output: String(err) }));
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** Maven offline first (a warm machine downloads nothing), online when something is not in ~/.m2 yet. */
export async function mvn(
  args: string[],
  say: Say = () => undefined,
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const pom = ['-B', '-f', path.join(PROJECT, 'pom.xml')];
  const offline = await run('mvn', ['-o', ...pom, ...args], env);
  if (
    offline.code === 0 ||
    !/in offline mode|Could not resolve|could not be resolved|has not been downloaded/i.test(offline.output)
  ) {
    return offline;
  }
  say('resolving the analytics job’s Maven dependencies (once)…');
  return run('mvn', [...pom, ...args], env);
}

/** .cache/flink-<version>-<pom hash>: named after the pom's contents too, so a changed dependency list resolves anew. */
export function analyticsCacheDir(): string {
  const pom = createHash('sha256')
    .update(readFileSync(path.join(PROJECT, 'pom.xml')))
    .digest('hex')
    .slice(0, 8);
  return path.join(REPO, '.cache', `flink-${FLINK_VERSION}-${pom}`);
}

/** The job's jars in .cache/flink-<version>-<pom hash>/lib, resolved once; returns that folder. */
export async function ensureAnalyticsJars(say: Say = () => undefined): Promise<string> {
  const lib = path.join(analyticsCacheDir(), 'lib');
  if (existsSync(path.join(lib, MARKER))) return lib;
  say(`resolving Flink ${FLINK_VERSION} jars with Maven into ${lib}`);
  const tmp = `${lib}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(path.dirname(lib), { recursive: true });
  const goals = ['-q', 'dependency:copy-dependencies', 'dependency:copy@gs-guava', `-DoutputDirectory=${tmp}`];
  const { code, output } = await mvn([...goals, '-DincludeScope=runtime'], say);
  if (code !== 0 || !existsSync(path.join(tmp, MARKER))) {
    await rm(tmp, { recursive: true, force: true });
    throw new Error(`resolving the analytics jars failed (exit ${code}):\n${output.slice(-4000)}`);
  }
  await rm(lib, { recursive: true, force: true });
  try {
    await rename(tmp, lib);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    if (!existsSync(path.join(lib, MARKER))) throw err; // else another launcher finished first
  }
  return lib;
}

export function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Compiles the job when its sources changed since the last build. */
export async function ensureAnalyticsBuilt(say: Say = () => undefined): Promise<string> {
  const sources = Math.max(
    newestSource(path.join(PROJECT, 'src', 'main')),
    statSync(path.join(PROJECT, 'pom.xml')).mtimeMs,
  );
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= sources) return CLASSES;
  say('compiling the analytics job…');
  const { code, output } = await mvn(['-q', 'compile']);
  if (code !== 0) throw new Error(`compiling analytics/ failed (exit ${code}):\n${output.slice(-4000)}`);
  await writeFile(STAMP, new Date().toISOString());
  return CLASSES;
}

function javaBin(): string {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

export async function startAnalytics(options: AnalyticsOptions, say: Say = () => undefined): Promise<AnalyticsHandle> {
  const lib = await ensureAnalyticsJars(say);
  const classes = await ensureAnalyticsBuilt(say);
  const heap = options.heapMb ?? 768;
  const jvm = [
    `-Xmx${heap}m`,
    // Another collector among jvmOptions replaces this one (two would refuse to start).
    ...(options.jvmOptions?.some((o) => /^-XX:\+Use\w+GC$/.test(o)) ? [] : ['-XX:+UseSerialGC']),
    ...(options.quickStart ? ['-XX:TieredStopAtLevel=1'] : []),
    '-Djava.awt.headless=true',
    ...(options.jvmOptions ?? []),
    `-Dlog4j2.configurationFile=file:${path.join(import.meta.dirname, 'analytics', 'log4j2.properties')}`,
  ];
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '',
    ...(process.env['JAVA_HOME'] ? { JAVA_HOME: process.env['JAVA_HOME'] } : {}),
    KAFKA_BROKERS: options.brokers.join(','),
    ANALYTICS_STORAGE_URL: options.storageUrl,
    ANALYTICS_METRICS_PORT: String(options.metricsPort),
    ANALYTICS_REST_PORT: String(options.restPort),
    ANALYTICS_BLOB_PORT: String(options.blobPort),
    ...(options.checkpointIntervalMs ? { ANALYTICS_CHECKPOINT_INTERVAL_MS: String(options.checkpointIntervalMs) } : {}),
    ...(options.sourceTopic ? { ANALYTICS_SOURCE_TOPIC: options.sourceTopic } : {}),
    ...(options.resultsTopic ? { ANALYTICS_RESULTS_TOPIC: options.resultsTopic } : {}),
    ...(options.groupId
      ? { ANALYTICS_GROUP_ID: options.groupId, ANALYTICS_TRANSACTIONAL_ID_PREFIX: options.groupId }
      : {}),
    ...(options.parallelism ? { ANALYTICS_PARALLELISM: String(options.parallelism) } : {}),
    ...(options.gcsEndpoint ? { GCS_ENDPOINT: options.gcsEndpoint } : {}),
    ...(options.windows
      ? {
          ANALYTICS_WINDOW_SECONDS: String(options.windows.sizeSeconds),
          ANALYTICS_LATENESS_SECONDS: String(options.windows.latenessSeconds),
          ANALYTICS_IDLE_TIMEOUT_SECONDS: String(options.windows.idleTimeoutSeconds ?? 60),
        }
      : {}),
  };
  const child = spawn(javaBin(), [...jvm, '-cp', `${classes}:${lib}/*`, 'emporium.analytics.AnalyticsJob'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  const tail: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      log?.write(line + '\n');
      if (tail.push(line) > 40) tail.shift();
      options.onLine?.(line);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => log?.end());
  const metricsUrl = `http://127.0.0.1:${options.metricsPort}`;
  await waitForJob(metricsUrl, child, exited, tail);
  return handle(child, exited, metricsUrl);
}

/** Ready once the job runs (its exporter answers /ready), or fails with the job's last lines. */
async function waitForJob(url: string, child: ChildProcess, exited: Promise<unknown>, tail: string[]): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (const deadline = Date.now() + READY_TIMEOUT_MS; Date.now() < deadline;) {
    if (gone) throw new Error(`the analytics job exited while starting:\n${tail.join('\n')}`);
    const ok = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`the analytics job was not running after ${READY_TIMEOUT_MS / 1000} s:\n${tail.join('\n')}`);
}

function handle(child: ChildProcess, exited: Promise<number | null>, metricsUrl: string): AnalyticsHandle {
  const isAlive = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid!,
    metricsUrl,
    exited,
    async stop() {
      if (!isAlive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (!isAlive()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
