// A tiny declarative config reader: every service's config.ts lists its settings once, and a bad
// environment fails at start with every problem listed rather than the first one.
type Env = Record<string, string | undefined>;

interface Field<T> {
  read(env: Env, problems: string[]): T;
}

interface Common<T> {
  default?: T;
  /** Optional settings yield undefined when absent. */
  optional?: boolean;
  /** A key or password: a problem with it never repeats its value. */
  secret?: boolean;
}

function raw(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function field<T>(name: string, opts: Common<T>, parse: (v: string) => T | string): Field<T> {
  return {
    read(env, problems) {
      const v = raw(env, name);
      if (v === undefined) {
        if (opts.default !== undefined) return opts.default;
        if (!opts.optional) problems.push(`${name} is required`);
        return undefined as T;
      }
      const parsed = parse(v);
      if (typeof parsed === 'string' && parsed.startsWith('!')) {
        const got = opts.secret ? '' : ` (got "${v.length > 40 ? v.slice(0, 40) + '…' : v}")`;
        problems.push(`${name} ${parsed.slice(1)}${got}`);
        return undefined as T;
      }
      return parsed as T;
    },
  };
}

export const str = (name: string, opts: Common<string> = {}): Field<string> => field(name, opts, (v) => v);

export function int(name: string, opts: Common<number> & { min?: number; max?: number } = {}): Field<number> {
  return field(name, opts, (v) => {
    if (!/^-?\d+$/.test(v)) return '!must be an integer';
    const n = Number(v);
    if (opts.min !== undefined && n < opts.min) return `!must be at least ${opts.min}`;
    if (opts.max !== undefined && n > opts.max) return `!must be at most ${opts.max}`;
    return n;
  });
}

export function bool(name: string, opts: Common<boolean> = {}): Field<boolean> {
  return field(name, opts, (v) => {
    if (['1', 'true', 'yes', 'on'].includes(v.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(v.toLowerCase())) return false;
    return '!must be true or false';
  });
}

export function url(name: string, opts: Common<string> = {}): Field<string> {
  return field(name, opts, (v) => (URL.canParse(v) ? v.replace(/\/$/, '') : '!must be a URL'));
}

/** A setting read by `parse`, which returns the value or throws an Error saying what is wrong ("must be …"). */
export function parsed<T>(name: string, parse: (v: string) => T, opts: Common<T> = {}): Field<T> {
  return field<T>(name, opts, (v) => {
    try {
      return parse(v);
    } catch (err) {
      return `!${err instanceof Error ? err.message : String(err)}`;
    }
  });
}

export function oneOf<const T extends string>(name: string, values: readonly T[], opts: Common<T> = {}): Field<T> {
  return field(name, opts, (v) =>
    (values as readonly string[]).includes(v) ? (v as T) : `!must be one of ${values.join(', ')}`,
  );
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(service: string, problems: string[]) {
    super(`${service}: invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Shape = Record<string, Field<unknown>>;
export type ConfigOf<S extends Shape> = { readonly [K in keyof S]: S[K] extends Field<infer T> ? T : never };

export function loadConfig<S extends Shape>(service: string, shape: S, env: Env): ConfigOf<S> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(shape)) out[key] = f.read(env, problems);
  if (problems.length > 0) throw new ConfigError(service, problems);
  return Object.freeze(out) as ConfigOf<S>;
}

/** For a process entry point: a bad environment prints every problem and exits with code 2. */
export function readConfigOrExit<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(2);
  }
}

/**
 * The database timeouts every PostgreSQL-backed service reads (design, "Timeout Configuration": service →
 * database 10 s); spread into a service's config shape and hand the values to `createPool`.
 */
export const databaseTimeoutSettings = () => ({
  databaseConnectTimeoutMs: int('DATABASE_CONNECT_TIMEOUT_MS', { default: 10_000, min: 100, max: 600_000 }),
  databaseStatementTimeoutMs: int('DATABASE_STATEMENT_TIMEOUT_MS', { default: 10_000, min: 100, max: 3_600_000 }),
});

/** What every service's HTTP server reads: where it listens, how much it logs, when readiness counts as down. */
export const serverSettings = (defaultPort: number) => ({
  host: str('HOST', { default: '127.0.0.1' }),
  port: int('PORT', { default: defaultPort, min: 0, max: 65535 }),
  logLevel: oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace'], { default: 'info' }),
  /** The design's health-check timeout: a readiness check slower than this counts as down. */
  healthTimeoutMs: int('HEALTH_TIMEOUT_MS', { default: 3_000, min: 100 }),
});

/** A PostgreSQL-backed service's database: its URL, pool size (`minPool` for one held by LISTEN) and timeouts. */
export const databaseSettings = (defaultPoolSize: number, minPool = 1) => ({
  databaseUrl: str('DATABASE_URL'),
  databasePoolSize: int('DATABASE_POOL_SIZE', { default: defaultPoolSize, min: minPool, max: 200 }),
  ...databaseTimeoutSettings(),
});
