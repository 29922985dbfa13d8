import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const CACHE = path.resolve(import.meta.dirname, '..', '.cache');

/**
 * A Go program built once with `go install` from the module proxy into `.cache/<name>-<version>/`, so a
 * fresh machine needs nothing but Go and later runs start at once. Returns the binary's path.
 */
export async function ensureGoTool(tool: {
  name: string;
  /** The package path to install, without the version. */
  pkg: string;
  version: string;
  /** The binary's file name when it differs from `name`. */
  bin?: string;
  /** What the build needs, for the error message (e.g. "Go 1.26 or later"). */
  needs?: string;
  say?: (line: string) => void;
  /** How long the first build takes here, for the message. */
  takes?: string;
}): Promise<string> {
  const dir = path.join(CACHE, `${tool.name}-${tool.version}`);
  const bin = path.join(dir, tool.bin ?? tool.name);
  if (existsSync(bin)) return bin;
  tool.say?.(`building ${tool.name} ${tool.version} with go install (once${tool.takes ? `; ${tool.takes}` : ''})…`);
  await promisify(execFile)('go', ['install', `${tool.pkg}@${tool.version}`], {
    env: { ...process.env, GOBIN: dir },
    maxBuffer: 10 * 1024 * 1024,
  }).catch((err: Error) => {
    throw new Error(`building ${tool.name} failed (it needs ${tool.needs ?? 'Go'} on PATH): ${err.message}`);
  });
  return bin;
}

export const hasGo = async (): Promise<boolean> =>
  promisify(execFile)('go', ['version']).then(
    () => true,
    () => false,
  );

/** Whether a loopback port can be listened on right now. */
export const isPortFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
