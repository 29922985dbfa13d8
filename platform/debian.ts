import { execFileSync } from 'node:child_process';

/** Where a command lives on PATH, if anywhere. */
export function findCommand(command: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes sure each command exists, installing the Debian package that provides it when it is missing and we may
 * (root with apt-get, as `.ci/run` is); otherwise an error naming the one command to run. `needs` maps each
 * command to its package, e.g. `{ 'redis-server': 'redis-server', 'g++': 'g++' }`.
 */
export function ensureDebianPackages(needs: Record<string, string>, say: (line: string) => void, why: string): void {
  const missing = Object.entries(needs).filter(([command]) => !findCommand(command));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map(([, pkg]) => pkg))];
  const commands = missing.map(([command]) => command).join(', ');
  if (process.getuid?.() !== 0 || !findCommand('apt-get')) {
    throw new Error(`${commands} not installed (${why}): run \`sudo apt-get install -y ${packages.join(' ')}\``);
  }
  say(`${commands} not installed (${why}): installing ${packages.join(' ')} from Debian's packages (once)…`);
  // TMPDIR=/var/tmp: apt's signature check fails when the system temp folder has lost its sticky bit.
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', TMPDIR: '/var/tmp' };
  execFileSync('apt-get', ['update', '-qq'], { env, stdio: 'ignore' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env, stdio: 'ignore' });
  const still = missing.filter(([command]) => !findCommand(command)).map(([command]) => command);
  if (still.length > 0) throw new Error(`installing ${packages.join(' ')} did not provide ${still.join(', ')}`);
}
