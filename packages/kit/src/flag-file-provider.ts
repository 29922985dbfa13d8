import { readFile, stat } from 'node:fs/promises';
import {
  ErrorCode,
  OpenFeatureEventEmitter,
  ProviderEvents,
  StandardResolutionReasons,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
} from '@openfeature/server-sdk';

/** One flag as flagd writes it: https://flagd.dev/reference/flag-definitions/ */
export interface FlagDefinition {
  state: 'ENABLED' | 'DISABLED';
  variants: Record<string, JsonValue>;
  defaultVariant: string;
  /** flagd's JsonLogic rules; this provider does not evaluate them (every caller gets the default variant). */
  targeting?: unknown;
}

export type FlagSet = ReadonlyMap<string, FlagDefinition>;

export interface FlagFileLog {
  warn(obj: object, message: string): void;
  info(obj: object, message: string): void;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a flag file in flagd's JSON format; throws listing every problem, so a bad edit changes nothing. */
export function parseFlagFile(text: string): FlagSet {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON: ${(err as Error).message}`);
  }
  if (!isRecord(doc) || !isRecord(doc['flags'])) throw new Error('expected an object with "flags": {name: definition}');
  const problems: string[] = [];
  const out = new Map<string, FlagDefinition>();
  for (const [name, def] of Object.entries(doc['flags'])) {
    if (!isRecord(def)) {
      problems.push(`${name}: not an object`);
      continue;
    }
    const { state, variants, defaultVariant, targeting } = def;
    if (state !== 'ENABLED' && state !== 'DISABLED') problems.push(`${name}: state must be ENABLED or DISABLED`);
    if (!isRecord(variants) || Object.keys(variants).length === 0) {
      problems.push(`${name}: variants must name at least one value`);
    } else if (typeof defaultVariant !== 'string' || !(defaultVariant in variants)) {
      problems.push(`${name}: defaultVariant must be one of its variants`);
    } else {
      const known = variants as Record<string, JsonValue>;
      out.set(name, { state: state as FlagDefinition['state'], variants: known, defaultVariant, targeting });
    }
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return out;
}

const typeOf = (v: JsonValue) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * An OpenFeature provider over a flagd-format JSON file, re-read when its size, time or inode change
 * (a stat every `pollMs`, which also notices an editor that replaces the file). A missing file means
 * no flags; a file that does not parse keeps the last good flags and is reported once per version.
 */
export class FlagFileProvider implements Provider {
  readonly metadata = { name: 'emporium-flag-file' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  private flags: FlagSet = new Map();
  private stamp = 'none';
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<boolean> | undefined;
  private warnedTargeting = new Set<string>();

  private readonly options: { file: string; pollMs: number; log: FlagFileLog };

  constructor(options: { file: string; pollMs: number; log: FlagFileLog }) {
    this.options = options;
  }

  async initialize(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => void this.reload(), this.options.pollMs);
    this.timer.unref();
  }

  async onClose(): Promise<void> {
    clearInterval(this.timer);
    await this.reading;
  }

  /** Reads the file if it changed since the last look; resolves true when the flags changed. */
  reload(): Promise<boolean> {
    this.reading ??= this.readIfChanged().finally(() => (this.reading = undefined));
    return this.reading;
  }

  private async readIfChanged(): Promise<boolean> {
    const { file, log } = this.options;
    let stamp: string;
    try {
      const s = await stat(file);
      stamp = `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      stamp = code === 'ENOENT' ? 'none' : `error:${code}`;
    }
    if (stamp === this.stamp) return false;
    this.stamp = stamp;
    if (stamp.startsWith('error:')) {
      log.warn({ file, problem: stamp.slice(6) }, 'flag file cannot be read; the last good flags stay');
      return false;
    }
    let next: FlagSet;
    try {
      next = stamp === 'none' ? new Map() : parseFlagFile(await readFile(file, 'utf8'));
    } catch (err) {
      // Gone between stat and read: the next look sees that.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      log.warn({ file, problem: (err as Error).message }, 'flag file does not parse: the last good flags stay');
      return false;
    }
    const names = [...new Set([...this.flags.keys(), ...next.keys()])];
    const changed = names.filter((k) => JSON.stringify(this.flags.get(k)) !== JSON.stringify(next.get(k)));
    this.flags = next;
    if (changed.length === 0) return false;
    log.info({ file, flags: changed }, 'flag file read');
    this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: changed });
    return true;
  }

  private resolve<T extends JsonValue>(key: string, defaultValue: T, type: string): ResolutionDetails<T> {
    const flag = this.flags.get(key);
    const failed = (errorCode: ErrorCode, errorMessage: string) => ({
      value: defaultValue,
      reason: StandardResolutionReasons.ERROR,
      errorCode,
      errorMessage,
    });
    if (!flag) return failed(ErrorCode.FLAG_NOT_FOUND, `no flag ${key}`);
    if (flag.state === 'DISABLED') return { value: defaultValue, reason: StandardResolutionReasons.DISABLED };
    if (flag.targeting !== undefined && !this.warnedTargeting.has(key)) {
      this.warnedTargeting.add(key);
      this.options.log.warn({ flag: key }, 'flag targeting is not evaluated: every caller gets the default variant');
    }
    const value = flag.variants[flag.defaultVariant]!;
    if (typeOf(value) !== type) {
      return failed(ErrorCode.TYPE_MISMATCH, `${key} is a ${typeOf(value)}, not a ${type}`);
    }
    return { value: value as T, variant: flag.defaultVariant, reason: StandardResolutionReasons.STATIC };
  }

  async resolveBooleanEvaluation(key: string, defaultValue: boolean): Promise<ResolutionDetails<boolean>> {
    return this.resolve(key, defaultValue, 'boolean');
  }

  async resolveStringEvaluation(key: string, defaultValue: string): Promise<ResolutionDetails<string>> {
    return this.resolve(key, defaultValue, 'string');
  }

  async resolveNumberEvaluation(key: string, defaultValue: number): Promise<ResolutionDetails<number>> {
    return this.resolve(key, defaultValue, 'number');
  }

  async resolveObjectEvaluation<T extends JsonValue>(key: string, defaultValue: T): Promise<ResolutionDetails<T>> {
    return this.resolve(key, defaultValue, 'object');
  }
}
