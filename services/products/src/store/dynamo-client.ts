import { crc32 } from 'node:zlib';
import aws4 from 'aws4';
import { Pool } from 'undici';
import { marshall, unmarshall, type AttributeValue, type Doc } from './dynamo-codec.ts';

// A small DynamoDB client for the catalog's hot path: the real JSON protocol (x-amz-json-1.0), real
// SigV4 signatures (aws4), keep-alive connections (undici). The AWS SDK spent about 1 ms of CPU per
// call on middleware, serde and signing; this does the same wire work without the machinery.

export interface DynamoClientOptions {
  /** Unset on AWS: the regional endpoint is used. */
  endpoint?: string | undefined;
  region: string;
  /** Fixed credentials (a local endpoint); otherwise the AWS default chain (env, web identity, ECS, IMDS). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
  timeoutMs?: number;
}

type Wire = Record<string, unknown>;
type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined };
type Values = Record<string, unknown>;

interface Common {
  TableName: string;
  ExpressionAttributeNames?: Record<string, string> | undefined;
  ExpressionAttributeValues?: Values | undefined;
  ReturnValues?: 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';
}
export interface GetInput {
  TableName: string;
  Key: Doc;
  ConsistentRead?: boolean;
  ProjectionExpression?: string;
}
export interface PutInput extends Common {
  Item: object;
  ConditionExpression?: string;
}
export interface UpdateInput extends Common {
  Key: Doc;
  UpdateExpression: string;
  ConditionExpression?: string;
}
export interface DeleteInput extends Common {
  Key: Doc;
  ConditionExpression?: string;
}
export interface ReadManyInput extends Common {
  IndexName?: string;
  KeyConditionExpression?: string;
  FilterExpression?: string;
  ProjectionExpression?: string;
  Limit?: number;
  ExclusiveStartKey?: Doc | undefined;
  ConsistentRead?: boolean;
  ScanIndexForward?: boolean;
}
export interface ReadManyOutput {
  Items: Doc[];
  LastEvaluatedKey?: Doc;
  Count?: number;
}

/** An error answer of DynamoDB, named by its type: `ConditionalCheckFailedException`, ... */
export class DynamoError extends Error {
  readonly statusCode: number;
  readonly retryable: boolean;
  constructor(name: string, message: string, statusCode: number, retryable: boolean) {
    super(message || name);
    this.name = name;
    this.statusCode = statusCode;
    this.retryable = retryable;
  }
}

export const isDynamoError = (err: unknown, name: string): boolean => err instanceof DynamoError && err.name === name;

const THROTTLED = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'TransactionInProgressException',
]);
const TRANSIENT = new Set(['InternalServerError', 'ServiceUnavailable', 'ItemCollectionSizeLimitExceededException']);

const toWire = (input: Wire): Wire => {
  const out: Wire = { ...input };
  for (const key of ['Key', 'Item', 'ExpressionAttributeValues', 'ExclusiveStartKey']) {
    if (out[key] === undefined) delete out[key];
    else out[key] = marshall(out[key] as Doc);
  }
  return out;
};

const fromWire = (output: Wire): Wire => {
  for (const key of ['Item', 'Attributes', 'LastEvaluatedKey']) {
    if (output[key] !== undefined) output[key] = unmarshall(output[key] as Record<string, AttributeValue>);
  }
  const items = output['Items'];
  if (Array.isArray(items)) output['Items'] = (items as Array<Record<string, AttributeValue>>).map(unmarshall);
  return output;
};

// Loaded only on AWS: the provider chain is a sizeable module, and a local endpoint never needs it.
function awsDefaultCredentials(): () => Promise<Credentials> {
  let provider: (() => Promise<Credentials>) | undefined;
  return async () => {
    provider ??= (await import('@aws-sdk/credential-provider-node')).defaultProvider();
    return provider();
  };
}

export class DynamoClient {
  readonly #pool: Pool;
  readonly #host: string;
  readonly #region: string;
  readonly #credentials: () => Promise<Credentials>;
  readonly #maxAttempts: number;

  constructor(options: DynamoClientOptions) {
    const url = new URL(options.endpoint ?? `https://dynamodb.${options.region}.amazonaws.com`);
    const timeout = options.timeoutMs ?? 10_000;
    this.#pool = new Pool(url.origin, {
      connections: 64,
      keepAliveTimeout: 30_000,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    this.#host = url.host;
    this.#region = options.region;
    const fixed = options.credentials;
    this.#credentials = fixed ? async () => fixed : awsDefaultCredentials();
    this.#maxAttempts = options.maxAttempts ?? 3;
  }

  /** One operation in the wire format (typed attribute values), retried like the SDK's standard mode. */
  async send(operation: string, input: Wire): Promise<Wire> {
    const body = JSON.stringify(input);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#once(operation, body);
      } catch (err) {
        const retryable = err instanceof DynamoError ? err.retryable : true; // no answer at all: a network error
        if (!retryable || attempt >= this.#maxAttempts) throw err;
        const base = err instanceof DynamoError && THROTTLED.has(err.name) ? 500 : 100;
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(20_000, base * 2 ** attempt)));
      }
    }
  }

  async #once(operation: string, body: string): Promise<Wire> {
    const credentials = await this.#credentials();
    const request = {
      host: this.#host,
      path: '/',
      method: 'POST',
      service: 'dynamodb',
      region: this.#region,
      body,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}` },
    };
    aws4.sign(request, credentials);
    const headers = request.headers as Record<string, string>;
    const res = await this.#pool.request({ method: 'POST', path: '/', headers, body });
    const bytes = Buffer.from(await res.body.arrayBuffer());
    // DynamoDB checksums every answer; a mismatch is a damaged answer, worth another attempt.
    const expected = res.headers['x-amz-crc32'];
    if (typeof expected === 'string' && crc32(bytes) !== Number(expected)) {
      throw new DynamoError('CRC32CheckFailed', 'the answer did not match its checksum', res.statusCode, true);
    }
    const answer = (bytes.length ? JSON.parse(bytes.toString('utf8')) : {}) as Wire;
    if (res.statusCode === 200) return answer;
    const type = String(answer['__type'] ?? `Http${res.statusCode}`);
    const name = type.slice(type.lastIndexOf('#') + 1);
    const message = String(answer['message'] ?? answer['Message'] ?? '');
    const retryable = res.statusCode >= 500 || THROTTLED.has(name) || TRANSIENT.has(name);
    throw new DynamoError(name, message, res.statusCode, retryable);
  }

  async get(input: GetInput): Promise<{ Item?: Doc }> {
    return fromWire(await this.send('GetItem', toWire({ ...input }))) as { Item?: Doc };
  }

  async put(input: PutInput): Promise<{ Attributes?: Doc }> {
    return fromWire(await this.send('PutItem', toWire({ ...input }))) as { Attributes?: Doc };
  }

  async update(input: UpdateInput): Promise<{ Attributes?: Doc }> {
    return fromWire(await this.send('UpdateItem', toWire({ ...input }))) as { Attributes?: Doc };
  }

  async delete(input: DeleteInput): Promise<{ Attributes?: Doc }> {
    return fromWire(await this.send('DeleteItem', toWire({ ...input }))) as { Attributes?: Doc };
  }

  async query(input: ReadManyInput): Promise<ReadManyOutput> {
    return fromWire(await this.send('Query', toWire({ ...input }))) as unknown as ReadManyOutput;
  }

  async scan(input: ReadManyInput): Promise<ReadManyOutput> {
    return fromWire(await this.send('Scan', toWire({ ...input }))) as unknown as ReadManyOutput;
  }

  destroy(): Promise<void> {
    return this.#pool.close();
  }
}
