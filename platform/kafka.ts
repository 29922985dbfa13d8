import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';

// A real single-node KRaft Kafka broker (broker + controller in one JVM) from Maven Central jars,
// run as a child process on loopback only.
export interface KafkaOptions {
  dataDir: string;
  port: number;
  /** Defaults to port + 1. */
  controllerPort?: number;
  /** How many port pairs (port + 2i, controllerPort + 2i) to try when one is taken. */
  portAttempts?: number;
  heapMb?: number;
  log?: (line: string) => void;
}

export interface KafkaHandle {
  brokers: string[];
  port: number;
  pid: number;
  stop(): Promise<void>;
}

const KAFKA_VERSION = '4.1.1'; // keep in step with platform/kafka/pom.xml
const HERE = path.join(import.meta.dirname, 'kafka');
const REPO = path.resolve(import.meta.dirname, '..');
const PID_FILE = 'kafka.pid';
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;

function javaBin(): string {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** Resolves the broker's jars with Maven once; later calls find them in the cache. Returns the lib directory. */
export async function ensureKafkaJars(
  options: { cacheDir?: string; log?: (line: string) => void } = {},
): Promise<string> {
  const lib = path.resolve(options.cacheDir ?? path.join(REPO, '.cache', `kafka-${KAFKA_VERSION}`, 'lib'));
  const marker = `kafka_2.13-${KAFKA_VERSION}.jar`;
  if (existsSync(path.join(lib, marker))) return lib;
  options.log?.(`resolving Kafka ${KAFKA_VERSION} jars with Maven into ${lib}`);
  // Download beside the cache and rename into place, so a half-finished download never looks like a cache.
  const tmp = `${lib}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(path.dirname(lib), { recursive: true });
  const args = [
    '-q',
    '-B',
    '-f',
    path.join(HERE, 'pom.xml'),
    'dependency:copy-dependencies',
    `-DoutputDirectory=${tmp}`,
    '-DincludeScope=runtime',
  ];
  const { code, output } = await run('mvn', args);
  if (code !== 0 || !existsSync(path.join(tmp, marker))) {
    await rm(tmp, { recursive: true, force: true });
    throw new Error(`mvn ${args.join(' ')} failed (exit ${code}):\n${output.slice(-4000)}`);
  }
  await rm(lib, { recursive: true, force: true }); // a cache without the marker jar is a leftover
  try {
    await rename(tmp, lib);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    if (!existsSync(path.join(lib, marker))) throw err; // else another launcher finished first
  }
  return lib;
}

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (b: Buffer) => (output += b.toString()));
    child.once('error', (err) => resolve({ code: -1, output: String(err) }));
    child.once('close', (code) => resolve({ code, output }));
  });
}

function serverProperties(dataDir: string, port: number, controllerPort: number): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${path.join(dataDir, 'logs')}`,
    'num.partitions=1',
    'auto.create.topics.enable=false',
    'min.insync.replicas=1',
    // One broker: internal topics get one replica and, to save memory, one partition.
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'share.coordinator.state.topic.num.partitions=1',
    'group.initial.rebalance.delay.ms=0',
    'log.cleaner.dedupe.buffer.size=16777216', // 16 MiB of heap instead of 128 MiB
    '',
  ].join('\n');
}

/** A cluster id as Kafka's `random-uuid` makes it (16 random bytes, unpadded base64url), without starting a JVM for it. */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id; // Kafka rejects ids that read like a command-line flag
  }
}

async function formatStorage(lib: string, propsFile: string): Promise<void> {
  const log4j = '-Dlog4j2.configurationFile=file:' + path.join(HERE, 'tools-log4j2.properties');
  const args = [
    log4j,
    '-cp',
    path.join(lib, '*'),
    'kafka.tools.StorageTool',
    'format',
    '-t',
    newClusterId(),
    '-c',
    propsFile,
    '--standalone',
  ];
  const { code, output } = await run(javaBin(), args);
  if (code !== 0) throw new Error(`kafka-storage format failed (exit ${code}): ${output}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; isAlive(pid); await new Promise((r) => setTimeout(r, 100)))
    if (Date.now() > end) return false;
  return true;
}

/** Data dirs this process is starting or running a broker on. */
const claimed = new Set<string>();

/**
 * Two brokers on one data dir corrupt its metadata log, so the pid file (broker pid, launcher pid) doubles as a lock,
 * taken before formatting. While its launcher lives we refuse to start: that launcher owns the broker and will stop it.
 * When the launcher died without stopping its broker, we stop the orphan (SIGTERM, then SIGKILL) and take over.
 */
async function claimDataDir(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, PID_FILE);
  for (;;) {
    try {
      return await writeFile(pidFile, `0\n${process.pid}\n`, { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const [broker = 0, launcher = 0] = (await readFile(pidFile, 'utf8').catch(() => '')).split('\n').map(Number);
    // Our own pid in the file is a previous incarnation's (containers reuse pids) unless this process claimed the dir.
    if (launcher > 0 && launcher !== process.pid && isAlive(launcher)) {
      throw new Error(
        `Kafka on ${dataDir} is already ${broker > 0 ? `running (pid ${broker})` : 'starting'}, launched by pid ${launcher}`,
      );
    }
    const cmdline = await readFile(`/proc/${broker}/cmdline`, 'utf8').catch(() => '');
    if (
      broker > 0 &&
      isAlive(broker) &&
      (cmdline === '' || cmdline.includes(path.join(dataDir, 'server.properties')))
    ) {
      log(`stopping a Kafka broker (pid ${broker}) left running by a previous launcher`);
      process.kill(broker, 'SIGTERM');
      if (!(await waitForExit(broker, STOP_TIMEOUT_MS))) process.kill(broker, 'SIGKILL');
      await waitForExit(broker, 5_000);
    }
    await rm(pidFile, { force: true });
  }
}

function isPortTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

export async function startKafka(options: KafkaOptions): Promise<KafkaHandle> {
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  const lib = await ensureKafkaJars({ log });
  if (claimed.has(dataDir)) throw new Error(`Kafka on ${dataDir} is already started by this process`);
  claimed.add(dataDir);
  try {
    await mkdir(dataDir, { recursive: true });
    await claimDataDir(dataDir, log);
    return await launch(lib, dataDir, options, log);
  } catch (err) {
    claimed.delete(dataDir);
    // Only our own claim is released: a refusal leaves the other launcher's pid file alone.
    const [, launcher] = (await readFile(path.join(dataDir, PID_FILE), 'utf8').catch(() => '')).split('\n').map(Number);
    if (launcher === process.pid) await rm(path.join(dataDir, PID_FILE), { force: true });
    throw err;
  }
}

async function launch(
  lib: string,
  dataDir: string,
  options: KafkaOptions,
  log: (line: string) => void,
): Promise<KafkaHandle> {
  const propsFile = path.join(dataDir, 'server.properties');
  const heap = options.heapMb ?? 256;
  const jvm = [
    `-Xms${Math.min(64, heap)}m`,
    `-Xmx${heap}m`,
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-Djava.awt.headless=true',
  ];
  jvm.push(
    '-Dlog4j2.shutdownHookEnabled=false',
    `-Dlog4j2.configurationFile=file:${path.join(HERE, 'log4j2.properties')}`,
  );
  const attempts = options.portAttempts ?? 10;
  for (let i = 0; i < attempts; i++) {
    const port = options.port + 2 * i;
    const controllerPort = (options.controllerPort ?? options.port + 1) + 2 * i;
    if ((await isPortTaken(port)) || (await isPortTaken(controllerPort))) {
      log(`port ${port} or ${controllerPort} is taken; trying ${port + 2}/${controllerPort + 2}`);
      continue;
    }
    // Rewritten at every start, so a data dir formatted under other ports simply moves to the new ones.
    await writeFile(propsFile, serverProperties(dataDir, port, controllerPort));
    if (!existsSync(path.join(dataDir, 'logs', 'meta.properties'))) await formatStorage(lib, propsFile);
    const child = spawn(javaBin(), [...jvm, '-cp', path.join(lib, '*'), 'kafka.Kafka', propsFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await writeFile(path.join(dataDir, PID_FILE), `${child.pid ?? 0}\n${process.pid}\n`);
    const outcome = await waitForStart(child, log);
    if (outcome === 'ready') return handle(child, port, dataDir);
    if (outcome !== 'port-taken') throw new Error(`Kafka failed to start: ${outcome}`);
    log(`port ${port} or ${controllerPort} was taken while starting; trying the next pair`);
  }
  throw new Error(`no free port pair for Kafka from ${options.port}`);
}

/** Resolves 'ready', or once the JVM has exited (so its pid file may be released), why it did not start. */
function waitForStart(child: ChildProcess, log: (line: string) => void): Promise<'ready' | 'port-taken' | string> {
  return new Promise((resolve) => {
    const tail: string[] = [];
    let isBindFailure = false;
    let isTimedOut = false;
    const onLine = (line: string) => {
      log(line);
      if (tail.push(line) > 40) tail.shift();
      if (/Address already in use/i.test(line)) isBindFailure = true;
      if (line.includes('Kafka Server started')) finish('ready');
    };
    for (const input of [child.stdout!, child.stderr!]) createInterface({ input }).on('line', onLine);
    const timer = setTimeout(() => ((isTimedOut = true), void stopChild(child)), START_TIMEOUT_MS);
    const onClose = (code: number | null, signal: string | null) => {
      if (isBindFailure) return finish('port-taken');
      finish(
        `${isTimedOut ? `not started after ${START_TIMEOUT_MS / 1000} s` : `exit ${code ?? signal}`}:\n${tail.join('\n')}`,
      );
    };
    child.once('close', onClose); // after 'exit', once the last output lines are read
    child.once('error', (err) => finish(`${err.message} (is Java 17+ installed, or JAVA_HOME set?)`));
    function finish(outcome: string) {
      clearTimeout(timer);
      child.off('close', onClose);
      resolve(outcome);
    }
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM'); // controlled shutdown: flushes logs and closes the metadata log cleanly
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function handle(child: ChildProcess, port: number, dataDir: string): KafkaHandle {
  let stopping: Promise<void> | undefined;
  return {
    brokers: [`127.0.0.1:${port}`],
    port,
    pid: child.pid!,
    stop() {
      stopping ??= stopChild(child)
        .then(() => rm(path.join(dataDir, PID_FILE), { force: true }))
        .finally(() => claimed.delete(dataDir));
      return stopping;
    },
  };
}
