import assert from 'node:assert/strict';
import { it } from 'node:test';
import { strict } from '../scripts/crd-schemas.ts';

it('closes object schemas that list properties, and leaves open ones open', () => {
  const out = strict({
    type: 'object',
    properties: {
      spec: { type: 'object', properties: { a: { type: 'string' } } },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { b: { type: 'string' } } },
      list: { type: 'array', items: { type: 'object', properties: { c: { type: 'integer' } } } },
    },
  }) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(out.additionalProperties, false);
  assert.equal(out.properties.spec.additionalProperties, false);
  assert.deepEqual(out.properties.labels.additionalProperties, { type: 'string' });
  assert.equal(out.properties.raw.additionalProperties, undefined);
  assert.equal(out.properties.list.items.additionalProperties, false);
});
