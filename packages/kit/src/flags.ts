import {
  ErrorCode,
  NOOP_PROVIDER,
  OpenFeature,
  ProviderEvents,
  StandardResolutionReasons,
  type Client,
  type JsonValue,
} from '@openfeature/server-sdk';
import { int, str } from './config.ts';
import { FlagFileProvider, type FlagFileLog } from './flag-file-provider.ts';
import { Gauge, sharedMetric, type Registry } from './metrics.ts';

/**
 * The failure flags an operator may turn on for a drill (docs/failure-flags.md). Each names its type, its
 * value when off, the range a value must fall in, and the variants the launcher's template offers.
 */
export const FAILURE_FLAGS = {
  paymentFailure: { type: 'number', off: 0, min: 0, max: 1, variants: { off: 0, '10%': 0.1, '50%': 0.5, '100%': 1 } },
  paymentFailureMode: {
    type: 'string',
    off: 'unavailable',
    oneOf: ['unavailable', 'declined'],
    variants: { unavailable: 'unavailable', declined: 'declined' },
  },
  paymentLatencyMs: { type: 'number', off: 0, min: 0, max: 120_000, variants: { off: 0, '1s': 1_000, '6s': 6_000 } },
  catalogLatencyMs: { type: 'number', off: 0, min: 0, max: 120_000, variants: { off: 0, '1s': 1_000, '6s': 6_000 } },
  kafkaPublishFailure: { type: 'boolean', off: false, variants: { off: false, on: true } },
  productsCacheDown: { type: 'boolean', off: false, variants: { off: false, on: true } },
  notificationChannelFailure: {
    type: 'object',
    off: {},
    variants: { off: {}, sms: { sms: true }, email: { email: true }, all: { email: true, sms: true, push: true } },
  },
} as const satisfies Record<string, FlagSpec>;

interface FlagSpec {
  type: 'number' | 'string' | 'boolean' | 'object';
  off: JsonValue;
  min?: number;
  max?: number;
  oneOf?: readonly string[];
  variants: Record<string, JsonValue>;
}

export type FlagName = keyof typeof FAILURE_FLAGS;
type NamesOf<T extends FlagSpec['type']> = {
  [K in FlagName]: (typeof FAILURE_FLAGS)[K]['type'] extends T ? K : never;
}[FlagName];

export interface Flags {
  /**
   * False in production and when no flag file is configured. A flag the file does not turn on reads as the
   * caller's fallback, else as the flag's off value.
   */
  readonly active: boolean;
  number(name: NamesOf<'number'>, fallback?: number): number;
  boolean(name: NamesOf<'boolean'>, fallback?: boolean): boolean;
  string(name: NamesOf<'string'>, fallback?: string): string;
  object(name: NamesOf<'object'>, fallback?: Record<string, JsonValue>): Record<string, JsonValue>;
  /** True for the given share of calls, the share being a 0..1 number flag. */
  chance(name: NamesOf<'number'>): boolean;
  /** Reads the flag file now if it changed, instead of at the next poll. */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

/** Settings every service that reads flags spreads into its config shape. */
export const flagSettings = {
  /** A flag file in flagd's JSON format; unset means every failure flag is off. */
  flagsFile: str('FLAGS_FILE', { optional: true }),
  flagsPollMs: int('FLAGS_POLL_MS', { default: 1_000, min: 50 }),
  nodeEnv: str('NODE_ENV', { optional: true }),
  emporiumEnv: str('EMPORIUM_ENV', { optional: true }),
};

export interface FlagConfig {
  flagsFile?: string | undefined;
  flagsPollMs: number;
  nodeEnv?: string | undefined;
  emporiumEnv?: string | undefined;
}

export const isProduction = (c: Pick<FlagConfig, 'nodeEnv' | 'emporiumEnv'>): boolean =>
  c.nodeEnv === 'production' || c.emporiumEnv === 'production';

/** The flags of one process when failure flags are refused or not configured: always the off values. */
export function offFlags(): Flags {
  const off = <T>(name: FlagName) => FAILURE_FLAGS[name].off as T;
  return {
    active: false,
    number: (name, fallback) => fallback ?? off(name),
    boolean: (name, fallback) => fallback ?? off(name),
    string: (name, fallback) => fallback ?? off(name),
    object: (name, fallback) => fallback ?? {},
    chance: () => false,
    refresh: async () => undefined,
    close: async () => undefined,
  };
}

let domains = 0;

/**
 * The failure flags of one service. Values are read through OpenFeature once per change of the file and
 * kept, so a read on a hot path is a map look-up. In production nothing is evaluated, ever.
 */
export async function createFlags(options: {
  service: string;
  config: FlagConfig;
  log: FlagFileLog;
  registry?: Registry | undefined;
}): Promise<Flags> {
  const { service, config, log } = options;
  if (isProduction(config)) {
    const refused = 'FLAGS_FILE is ignored in production: failure flags are never evaluated';
    if (config.flagsFile) log.warn({ file: config.flagsFile }, refused);
    return offFlags();
  }
  if (!config.flagsFile) return offFlags();

  const registry = options.registry;
  const gauge = registry
    ? sharedMetric(
        registry,
        'emporium_failure_flag_value',
        () =>
          new Gauge({
            name: 'emporium_failure_flag_value',
            help: 'Failure flags in effect: a number as set, else 1 when the flag is on',
            labelNames: ['flag'],
            registers: [registry],
          }),
      )
    : undefined;
  const provider = new FlagFileProvider({ file: config.flagsFile, pollMs: config.flagsPollMs, log });
  // One OpenFeature domain per instance: tests run several services in one process, each with its own file.
  const domain = `${service}#${++domains}`;
  const values = new Map<FlagName, JsonValue>();
  const client = OpenFeature.getClient(domain);

  // Only flags the file sets (ENABLED, of the right type, in range) are kept; the others read as off.
  async function snapshot(): Promise<void> {
    for (const [name, spec] of Object.entries(FAILURE_FLAGS) as Array<[FlagName, FlagSpec]>) {
      const set = checked(name, spec, await evaluate(client, spec, name, log), log);
      const before = values.get(name) ?? spec.off;
      const value = set ?? spec.off;
      if (set === undefined) values.delete(name);
      else values.set(name, set);
      const on = JSON.stringify(value) !== JSON.stringify(spec.off);
      gauge?.set({ flag: name }, typeof value === 'number' ? value : on ? 1 : 0);
      if (JSON.stringify(before) === JSON.stringify(value)) continue;
      if (on) log.warn({ flag: name, value }, 'failure flag on');
      else log.info({ flag: name }, 'failure flag off');
    }
  }
  await OpenFeature.setProviderAndWait(domain, provider);
  await snapshot();
  client.addHandler(ProviderEvents.ConfigurationChanged, () => void snapshot());

  const read = <T>(name: FlagName, fallback: T | undefined): T =>
    values.has(name) ? (values.get(name) as T) : (fallback ?? (FAILURE_FLAGS[name].off as T));
  return {
    active: true,
    number: (name, fallback) => read(name, fallback),
    boolean: (name, fallback) => read(name, fallback),
    string: (name, fallback) => read(name, fallback),
    object: (name, fallback) => read(name, fallback),
    chance(name) {
      const share = read<number>(name, 0);
      return share > 0 && Math.random() < share;
    },
    async refresh() {
      if (await provider.reload()) await snapshot();
    },
    async close() {
      // Replacing the provider closes it (and stops its poll).
      await OpenFeature.setProviderAndWait(domain, NOOP_PROVIDER);
    },
  };
}

/** The flag's value when the file sets it; undefined when it is absent, DISABLED or of the wrong type. */
async function evaluate(
  client: Client,
  spec: FlagSpec,
  name: FlagName,
  log: FlagFileLog,
): Promise<JsonValue | undefined> {
  const details = await (spec.type === 'number'
    ? client.getNumberDetails(name, spec.off as number)
    : spec.type === 'string'
      ? client.getStringDetails(name, spec.off as string)
      : spec.type === 'boolean'
        ? client.getBooleanDetails(name, spec.off as boolean)
        : client.getObjectDetails(name, spec.off));
  if (details.errorCode === ErrorCode.TYPE_MISMATCH) {
    log.warn({ flag: name, problem: details.errorMessage }, 'failure flag of the wrong type: the flag stays off');
  }
  return details.errorCode || details.reason === StandardResolutionReasons.DISABLED ? undefined : details.value;
}

/** A value outside the flag's range is refused (the flag stays off) rather than clamped: a typo shows. */
function checked(
  name: FlagName,
  spec: FlagSpec,
  value: JsonValue | undefined,
  log: FlagFileLog,
): JsonValue | undefined {
  const outside = (n: number) => !Number.isFinite(n) || n < (spec.min ?? -Infinity) || n > (spec.max ?? Infinity);
  const bad =
    (typeof value === 'number' && outside(value)) ||
    (typeof value === 'string' && spec.oneOf !== undefined && !spec.oneOf.includes(value));
  if (!bad) return value;
  log.warn({ flag: name, value }, 'failure flag value out of range: the flag stays off');
  return undefined;
}

/** The flag file the launcher writes on a first start: every flag present, every flag DISABLED. */
export function flagFileTemplate(): string {
  const flags = Object.fromEntries(
    Object.entries(FAILURE_FLAGS).map(([name, spec]) => {
      const variants = spec.variants as Record<string, JsonValue>;
      const off = Object.keys(variants).find((k) => JSON.stringify(variants[k]) === JSON.stringify(spec.off));
      return [name, { state: 'DISABLED', variants, defaultVariant: off }];
    }),
  );
  return JSON.stringify({ $schema: 'https://flagd.dev/schema/v0/flags.json', flags }, null, 2) + '\n';
}
