import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DomainError } from './errors.ts';
import { problemOf, toDomainError } from './problem.ts';

test('a domain error becomes problem+json with its kind\'s status and extra members', () => {
  const p = problemOf(new DomainError('payment_declined', 'payment_required', 'Declined.', { extra: { order_id: 7 } }), '/api/orders');
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
  assert.deepEqual(d.fields?.map((f) => f.field), ['items.0.quantity', 'email', 'role']);
});

test('unknown errors become a 500 without leaking their message', () => {
  const d = toDomainError(new Error('connection string postgres://secret'));
  const p = problemOf(d);
  assert.equal(p.status, 500);
  assert.doesNotMatch(JSON.stringify(p), /secret/);
});

test('client mistakes reported by Fastify stay 4xx', () => {
  assert.equal(toDomainError(Object.assign(new Error('too big'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 })).kind, 'payload_too_large');
  assert.equal(toDomainError(Object.assign(new SyntaxError('Unexpected end'), { statusCode: 400 })).code, 'malformed_json');
  assert.equal(toDomainError(Object.assign(new Error('nope'), { statusCode: 405 })).kind, 'validation');
});
