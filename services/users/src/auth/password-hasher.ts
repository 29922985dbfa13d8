import bcrypt from 'bcrypt';

/**
 * bcrypt runs on libuv's thread pool (4 threads by default), the same pool that runs the pbkdf2 of
 * PostgreSQL's SCRAM handshake. Unbounded, a burst of logins fills every thread with hashes and new
 * database connections time out behind them; so at most `concurrency` hashes run at once and the
 * other threads stay free for the database, DNS and files.
 */
export function createPasswordHasher(options: { cost: number; concurrency: number }) {
  let running = 0;
  const waiting: Array<() => void> = [];

  async function limited<T>(work: () => Promise<T>): Promise<T> {
    if (running >= options.concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter, so `running` never drops and rises again.
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  }

  // Comparing against a real hash when no user matches keeps the answer time the same either way.
  let dummy: Promise<string> | undefined;
  const dummyHash = () => (dummy ??= limited(() => bcrypt.hash('not-a-real-password', options.cost)));

  return {
    hash: (password: string): Promise<string> => limited(() => bcrypt.hash(password, options.cost)),
    /** Compares against `hash`, or against a throwaway hash when there is none, so both take as long. */
    async compare(password: string, hash: string | undefined): Promise<boolean> {
      const against = hash ?? (await dummyHash());
      const ok = await limited(() => bcrypt.compare(password, against));
      return ok && hash !== undefined;
    },
  };
}

export type PasswordHasher = ReturnType<typeof createPasswordHasher>;
