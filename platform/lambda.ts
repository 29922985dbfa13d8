import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import { createWriteStream, existsSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { ensureDebianPackages } from './debian.ts';
import { ensureGoTool, isPortFree } from './go-tools.ts';
import { promisify } from 'node:util';
import { buildProductImages } from '../functions/product-images/scripts/build.ts';

const CACHE = path.resolve(import.meta.dirname, '..', '.cache');
// The module proxy serves this emulator only as a pseudo-version (its v1.x tags are not served).
const RIE_VERSION = 'v0.0.0-20261030222936-bef5c4ba774d';
const RIC_VERSION = '4.0.2';
const RIC_DIR = path.join(CACHE, `aws-lambda-ric-${RIC_VERSION}`);

type Say = (line: string) => void;

/** The AWS Lambda Runtime Interface Emulator, built once with `go install` from the Go module proxy. */
export const ensureRie = (say?: Say): Promise<string> =>
  ensureGoTool({
    name: 'aws-lambda-rie',
    pkg: 'github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie',
    version: RIE_VERSION,
    takes: 'about 20 s',
    say,
  });

/**
 * The Node.js runtime interface client (npm `aws-lambda-ric`), installed once into .cache/ from the
 * lock file in platform/lambda-ric/. Its install compiles curl and aws-lambda-cpp from source (cmake,
 * make, a C++ compiler; about 4 minutes on 2 cores), so it is kept out of the project's `npm ci`.
 */
export async function ensureRic(say: Say = () => undefined): Promise<string> {
  const entry = path.join(RIC_DIR, 'node_modules', 'aws-lambda-ric', 'index.mjs');
  const addon = path.join(RIC_DIR, 'node_modules', 'aws-lambda-ric', 'rapid-client.node');
  if (existsSync(entry) && existsSync(addon)) return entry;
  ensureDebianPackages({ cmake: 'cmake', make: 'make', 'g++': 'g++' }, say, 'aws-lambda-ric compiles C++');
  say(`installing aws-lambda-ric ${RIC_VERSION} (once; it compiles curl and aws-lambda-cpp, about 4 minutes)…`);
  await mkdir(RIC_DIR, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) {
    await copyFile(path.join(import.meta.dirname, 'lambda-ric', file), path.join(RIC_DIR, file));
  }
  const PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env['PATH'] ?? ''}`;
  await promisify(execFile)('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: RIC_DIR,
    env: { ...process.env, PATH },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((err: Error & { stderr?: string }) => {
    throw new Error(
      `installing aws-lambda-ric failed (needs cmake, make, g++): ${(err.stderr ?? err.message).slice(-800)}`,
    );
  });
  if (!existsSync(addon)) throw new Error('aws-lambda-ric installed without its native addon (rapid-client.node)');
  return entry;
}

export interface FunctionHandle {
  /** The emulator's invoke endpoint: POST an event, get the function's answer. */
  invokeUrl: string;
  pid: number;
  stop(): Promise<void>;
  exited: Promise<void>;
}

/**
 * The product-images function as Lambda runs it: the built artifact (the same files as the zip) under the
 * runtime interface emulator, with the Node runtime interface client as its bootstrap. Both of the
 * emulator's listeners are named on 127.0.0.1 (its default for invokes is every interface).
 */
export async function startProductImagesFunction(options: {
  workDir: string;
  port: number;
  runtimeApiPort: number;
  env: Record<string, string>;
  logFile: string;
  say?: Say;
}): Promise<FunctionHandle> {
  const [rie, ric] = [await ensureRie(options.say), await ensureRic(options.say)];
  const built = await buildProductImages({ outDir: options.workDir, zip: false });
  const env = {
    PATH: process.env['PATH'] ?? '',
    LAMBDA_TASK_ROOT: built.taskDir,
    AWS_LAMBDA_FUNCTION_NAME: 'product-images',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    AWS_LAMBDA_FUNCTION_TIMEOUT: '60',
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const args = [
    ['--runtime-interface-emulator-address', `127.0.0.1:${options.port}`],
    ['--runtime-api-address', `127.0.0.1:${options.runtimeApiPort}`],
    [process.execPath, ric, built.handler],
  ].flat();
  const child = spawn(rie, args, { cwd: built.taskDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  void exited.then(() => log.end());
  await waitForPort(options.port, exited);
  return {
    invokeUrl: `http://127.0.0.1:${options.port}/2015-03-31/functions/function/invocations`,
    pid: child.pid!,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitForPort(port: number, exited: Promise<void>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && !gone) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(gone ? 'aws-lambda-rie exited at start (see its log)' : `aws-lambda-rie did not listen on ${port}`);
}

/** The first port from `from` that is free along with the next one (the emulator's runtime API). */
export async function freePortPair(from: number, attempts = 20): Promise<number> {
  for (let port = from; port < from + attempts * 2; port += 2) {
    if ((await isPortFree(port)) && (await isPortFree(port + 1))) return port;
  }
  throw new Error(`no two free ports for the Lambda emulator from ${from}`);
}
