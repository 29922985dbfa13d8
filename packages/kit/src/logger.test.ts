import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from './logger.ts';
import { captureLogs } from './testing/index.ts';

test('secrets are censored wherever they sit in a log object', async () => {
  const { stream, lines } = captureLogs();
  const log = createLogger('t', 'info', stream);
  log.info({ password: 'hunter2hunter2', body: { password_hash: '$2b$12$abc', card_number: '4242424242424242' }, req: { headers: { Authorization: 'Bearer eyJ.x.y' } }, user: { refresh_token: 'r.t' }, deep: { a: { b: { c: [{ cvc: '987' }] } } }, safe: 'visible' }, 'x');
  log.flush();
  await new Promise((r) => setImmediate(r));
  const line = lines.join('\n');
  for (const secret of ['hunter2hunter2', '$2b$12$abc', '4242424242424242', 'eyJ.x.y', 'r.t', '987']) assert.ok(!line.includes(secret), `${secret} leaked: ${line}`);
  assert.match(line, /"safe":"visible"/);
  assert.match(line, /\[REDACTED\]/);
  const parsed = JSON.parse(lines[0]!);
  assert.equal(parsed.service, 't');
  assert.equal(parsed.level, 'info');
});
