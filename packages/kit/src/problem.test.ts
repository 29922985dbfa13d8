import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DomainError } from './errors.ts';
import { problemOf, toDomainError } from './problem.ts';

test("a domain error becomes problem+json with its kind's status and extra members", () => {
  const p = problemOf(
    new DomainError('payment_declined', 'payment_required', 'Declined.', { extra: { order_id: 7 } }),
    '/api/orders',
  );
  assert.deepEqual(p, {
    order_id: 7,
    type: 'https://emporium.dev/problems/payment-declined',
    title: 'Payment Required',
    status: 402,
    detail: 'Declined.',
    code: 'payment_declined',
    instance: '/api/orders',
  });
});

test('extra members cannot overwrite the standard ones', () => {
  const p = problemOf(new DomainError('x', 'conflict', 'd', { extra: { status: 200, code: 'ok' } }));
  assert.equal(p.status, 409);
  assert.equal(p.code, 'x');
});

test('validation errors list the offending fields', () => {
  const err = Object.assign(new Error('bad'), {
    validation: [
      { instancePath: '/items/0/quantity', message: 'must be integer', keyword: 'type' },
      { instancePath: '', message: 'x', keyword: 'required', params: { missingProperty: 'email' } },
      { instancePath: '', message: 'x', keyword: 'additionalProperties', params: { additionalProperty: 'role' } },
    ],
    validationContext: 'body',
  });
  const d = toDomainError(err);
  assert.equal(d.kind, 'validation');
  assert.deepEqual(
    d.fields?.map((f) => f.field),
    ['items.0.quantity', 'email', 'role'],
  );
});

test('unknown errors become a 500 without leaking their message', () => {
  const d = toDomainError(new Error('connection string postgres://secret'));
  const p = problemOf(d);
  assert.equal(p.status, 500);
  assert.doesNotMatch(JSON.stringify(p), /secret/);
});

test('client mistakes reported by Fastify stay 4xx', () => {
  assert.equal(
    toDomainError(Object.assign(new Error('too big'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 })).kind,
    'payload_too_large',
  );
  const unparsable = Object.assign(new Error('Unexpected end'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
  assert.equal(toDomainError(unparsable).code, 'malformed_json');
  assert.equal(toDomainError(Object.assign(new Error('nope'), { statusCode: 405 })).kind, 'validation');
});

test('a SyntaxError from our own code is a 5xx; only a body Fastify could not parse is malformed_json', () => {
  let thrown: unknown;
  try {
    JSON.parse('{"cached": ');
  } catch (err) {
    thrown = err;
  }
  assert.equal(problemOf(toDomainError(thrown)).status, 500);
  assert.equal(problemOf(toDomainError(Object.assign(new SyntaxError('x'), { statusCode: 400 }))).status, 500);
  const body = toDomainError(Object.assign(new Error('bad'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY' }));
  assert.equal(body.code, 'malformed_json');
});

test('a store that is briefly unavailable is a 503 to retry, whatever the driver calls it', () => {
  const cases: unknown[] = [
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    new AggregateError([Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })], 'connect failed'),
    new Error('timeout exceeded when trying to connect'),
    new Error('Connection terminated unexpectedly'),
    Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
    Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ThrottlingException' }),
    new Error('wrapped', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }),
  ];
  for (const err of cases) {
    const d = toDomainError(err);
    assert.equal(problemOf(d).status, 503, String(err));
    assert.equal(d.retryAfterSeconds, 5);
  }
  assert.equal(problemOf(toDomainError(Object.assign(new Error('duplicate key'), { code: '23505' }))).status, 500);
});

test("text PostgreSQL cannot store (a NUL character) is the client's 400, not our 500", () => {
  const nul = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
  const d = toDomainError(nul);
  assert.equal(problemOf(d).status, 400);
  assert.equal(d.code, 'invalid_characters');
});
