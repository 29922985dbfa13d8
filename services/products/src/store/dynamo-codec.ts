// DynamoDB's typed JSON ({ S: 'x' }, { N: '1' }, ...) to and from plain values, with the rules the AWS
// SDK's document client applied for us (removeUndefinedValues: true): undefined is left out, a Set of
// strings or numbers is a string or number set, an integer beyond 2^53 is refused going in and read
// back as a BigInt, and NaN, Infinity and empty sets are refused.

export type AttributeValue =
  | { S: string }
  | { N: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { B: string }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> };

// Items are the callers' own record types, as with the SDK's document client.
export type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function numberText(n: number | bigint): string {
  if (typeof n === 'number') {
    if (!Number.isFinite(n)) throw new Error(`Special numeric value ${n} is not allowed`);
    if (!Number.isSafeInteger(Math.trunc(n))) throw new Error(`Number ${n} is beyond 2^53: use a BigInt.`);
  }
  return n.toString();
}

function setValue(set: Set<unknown>): AttributeValue {
  if (set.size === 0) throw new Error('Pass a non-empty set: DynamoDB stores no empty sets.');
  const values = [...set];
  if (values.every((v) => typeof v === 'string')) return { SS: values as string[] };
  if (values.every((v) => typeof v === 'number' || typeof v === 'bigint')) {
    return { NS: values.map((v) => numberText(v as number)) };
  }
  if (values.every((v) => v instanceof Uint8Array)) {
    return { BS: values.map((v) => Buffer.from(v as Uint8Array).toString('base64')) };
  }
  throw new Error('A set must hold only strings, only numbers or only binary values.');
}

/** One plain value as an attribute value; undefined for undefined (the caller leaves it out). */
export function marshallValue(value: unknown): AttributeValue | undefined {
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'number':
    case 'bigint':
      return { N: numberText(value) };
    case 'boolean':
      return { BOOL: value };
    case 'undefined':
      return undefined;
    case 'object': {
      if (value === null) return { NULL: true };
      if (Array.isArray(value)) {
        const list: AttributeValue[] = [];
        for (const v of value) {
          const av = marshallValue(v);
          if (av !== undefined) list.push(av);
        }
        return { L: list };
      }
      if (value instanceof Set) return setValue(value);
      if (value instanceof Uint8Array) return { B: Buffer.from(value).toString('base64') };
      if (value instanceof Map) return { M: marshall(Object.fromEntries(value)) };
      const proto = Object.getPrototypeOf(value) as object | null;
      if (proto === Object.prototype || proto === null) return { M: marshall(value as Doc) };
      throw new Error(`Cannot store an instance of ${value.constructor.name} in DynamoDB.`);
    }
    default:
      throw new Error(`Cannot store a ${typeof value} in DynamoDB.`);
  }
}

/** A plain object as an item (or key, or expression values). */
export function marshall(doc: object): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const key in doc) {
    const av = marshallValue((doc as Doc)[key]);
    if (av !== undefined) out[key] = av;
  }
  return out;
}

function numberOf(text: string): number | bigint {
  const n = Number(text);
  return (n > Number.MAX_SAFE_INTEGER || n < Number.MIN_SAFE_INTEGER) && Number.isFinite(n) ? BigInt(text) : n;
}

export function unmarshallValue(av: Record<string, unknown>): unknown {
  if ('S' in av) return av['S'];
  if ('N' in av) return numberOf(av['N'] as string);
  if ('BOOL' in av) return av['BOOL'];
  if ('NULL' in av) return null;
  if ('M' in av) return unmarshall(av['M'] as Record<string, AttributeValue>);
  if ('L' in av) return (av['L'] as Array<Record<string, unknown>>).map(unmarshallValue);
  if ('SS' in av) return new Set(av['SS'] as string[]);
  if ('NS' in av) return new Set((av['NS'] as string[]).map(numberOf));
  if ('B' in av) return new Uint8Array(Buffer.from(av['B'] as string, 'base64'));
  if ('BS' in av) return new Set((av['BS'] as string[]).map((b) => new Uint8Array(Buffer.from(b, 'base64'))));
  throw new Error(`Unknown attribute value type: ${Object.keys(av).join(', ')}`);
}

export function unmarshall(item: Record<string, AttributeValue>): Doc {
  const out: Doc = {};
  for (const key in item) out[key] = unmarshallValue(item[key] as Record<string, unknown>);
  return out;
}
