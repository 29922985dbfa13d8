import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import { after, before, test } from 'node:test';
import { crc32 } from 'node:zlib';
import { marshall, unmarshall } from './dynamo-codec.ts';
import { DynamoClient, DynamoError } from './dynamo-client.ts';

// An independent SigV4 (as AWS checks it), to hold the client's signatures against.
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const hmac = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s).digest();
type Signed = { method: string; path: string; headers: Record<string, string>; body: string };
function signature(req: Signed, signed: string[], secret: string, scope: string[]): string {
  const [date, region, service] = scope as [string, string, string];
  const headerLines = signed.map((h) => `${h}:${req.headers[h]!.trim()}`);
  const canonical = [req.method, req.path, '', ...headerLines, '', signed.join(';'), sha256(req.body)].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', req.headers['x-amz-date'], scope.join('/'), sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  return hmac(key, toSign).toString('hex');
}

test('the reference signer reproduces the AWS SigV4 test suite (get-vanilla)', () => {
  const headers = { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' };
  const scope = ['20150830', 'us-east-1', 'service', 'aws4_request'];
  const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
  const sig = signature({ method: 'GET', path: '/', headers, body: '' }, ['host', 'x-amz-date'], secret, scope);
  assert.equal(sig, '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
});

test('items round-trip as the document client stored them; what DynamoDB cannot hold is refused', () => {
  const item = {
    id: 7,
    price: 9.99,
    name: 'Mug',
    image_url: null,
    on_sale: false,
    holds: new Set(['12', '13']),
    tags: ['a', 'b'],
    dims: { w: 1, unit: 'cm' },
    gone: undefined,
  };
  const wire = marshall(item);
  assert.deepEqual(wire['holds'], { SS: ['12', '13'] });
  assert.deepEqual(wire['price'], { N: '9.99' });
  assert.equal('gone' in wire, false, 'undefined values are left out');
  const { gone: _gone, ...stored } = item;
  assert.deepEqual(unmarshall(wire), stored);
  assert.equal(unmarshall({ big: { N: '12345678901234567890' } })['big'], 12345678901234567890n);
  assert.throws(() => marshall({ n: Number.NaN }));
  assert.throws(() => marshall({ n: 2 ** 60 }));
  assert.throws(() => marshall({ s: new Set() }));
  assert.throws(() => marshall({ d: new Date() }));
});

// A stand-in DynamoDB endpoint that checks each request's signature and answers what the test queued.
const received: Array<{ headers: IncomingMessage['headers']; body: string; signatureOk: boolean }> = [];
const answers: Array<{ status: number; body: string; crc?: number }> = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (d: Buffer) => (body += d.toString()));
  req.on('end', () => {
    const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/([^,]+), SignedHeaders=([^,]+), Signature=(\w+)$/;
    const auth = AUTH.exec(String(req.headers.authorization));
    const signed = auth?.[3]!.split(';') ?? [];
    const headers = Object.fromEntries(signed.map((h) => [h, String(req.headers[h])]));
    const request = { method: req.method!, path: req.url!, headers, body };
    const expected = auth && signature(request, signed, 'secret', auth[2]!.split('/'));
    const covered = ['host', 'x-amz-date', 'x-amz-target', 'x-amz-security-token'].every((h) => signed.includes(h));
    const signatureOk = auth?.[1] === 'AKIDEXAMPLE' && expected === auth[4] && covered;
    received.push({ headers: req.headers, body, signatureOk });
    const answer = answers.shift() ?? { status: 200, body: '{}' };
    const crc = String(answer.crc ?? crc32(answer.body));
    res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amz-crc32': crc });
    res.end(answer.body);
  });
});
let client: DynamoClient;
before(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session' };
  client = new DynamoClient({ endpoint: `http://127.0.0.1:${port}`, region: 'eu-west-1', credentials });
});
after(async () => {
  await client.destroy();
  server.close();
});

test('requests speak the DynamoDB JSON protocol, SigV4-signed over target, date, host and token', async () => {
  answers.push({ status: 200, body: JSON.stringify({ Item: { id: { N: '1' }, holds: { SS: ['9'] } } }) });
  const res = await client.get({ TableName: 'products', Key: { id: 1 }, ConsistentRead: true });
  assert.deepEqual(res.Item, { id: 1, holds: new Set(['9']) });
  const req = received.at(-1)!;
  assert.equal(req.signatureOk, true);
  assert.equal(req.headers['x-amz-target'], 'DynamoDB_20120810.GetItem');
  assert.equal(req.headers['content-type'], 'application/x-amz-json-1.0');
  assert.match(String(req.headers.authorization), /\/eu-west-1\/dynamodb\/aws4_request/);
  assert.deepEqual(JSON.parse(req.body), { TableName: 'products', Key: { id: { N: '1' } }, ConsistentRead: true });
});

test('a failed condition is an error named by its type, and is not retried', async () => {
  const before = received.length;
  const type = 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException';
  answers.push({ status: 400, body: JSON.stringify({ __type: type, message: 'The conditional request failed' }) });
  const update = { TableName: 'p', Key: { id: 1 }, UpdateExpression: 'SET a = :a' };
  const err = await client.update(update).catch((e: unknown) => e);
  assert.ok(err instanceof DynamoError);
  assert.equal(err.name, 'ConditionalCheckFailedException');
  assert.equal(received.length - before, 1);
});

test("throttling and damaged answers are retried; the third failure is the caller's", async () => {
  const before = received.length;
  answers.push({ status: 400, body: JSON.stringify({ __type: 'ThrottlingException' }) });
  answers.push({ status: 200, body: '{"Attributes":{}}', crc: 1 });
  answers.push({ status: 200, body: JSON.stringify({ Attributes: { id: { N: '1' } } }) });
  const res = await client.put({ TableName: 'products', Item: { id: 1 }, ReturnValues: 'ALL_OLD' });
  assert.deepEqual(res.Attributes, { id: 1 });
  assert.equal(received.length - before, 3);
  for (let i = 0; i < 3; i++) answers.push({ status: 500, body: JSON.stringify({ __type: 'InternalServerError' }) });
  const err = await client.send('ListTables', {}).catch((e: unknown) => e);
  assert.ok(err instanceof DynamoError && err.name === 'InternalServerError');
});
