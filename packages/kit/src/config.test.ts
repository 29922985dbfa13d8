import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bool,
  ConfigError,
  databaseSettings,
  int,
  loadConfig,
  oneOf,
  parsed,
  serverSettings,
  str,
  url,
} from './config.ts';

const shape = {
  port: int('PORT', { default: 5001, min: 1, max: 65535 }),
  db: str('DATABASE_URL'),
  users: url('USERS_URL', { default: 'http://127.0.0.1:5001' }),
  level: oneOf('LOG_LEVEL', ['info', 'debug'], { default: 'info' }),
  flag: bool('FLAG', { default: false }),
  redis: str('REDIS_URL', { optional: true }),
};

test('reads typed values and applies defaults', () => {
  const c = loadConfig('svc', shape, {
    PORT: '6000',
    DATABASE_URL: 'postgres://x',
    FLAG: 'yes',
    USERS_URL: 'http://u:1/',
  });
  assert.deepEqual(
    { ...c },
    { port: 6000, db: 'postgres://x', users: 'http://u:1', level: 'info', flag: true, redis: undefined },
  );
  assert.ok(Object.isFrozen(c));
});

test('lists every problem at once', () => {
  let problems: string[] = [];
  try {
    loadConfig('svc', shape, { PORT: 'abc', LOG_LEVEL: 'loud', FLAG: 'maybe', USERS_URL: 'not a url' });
    assert.fail('expected a ConfigError');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    problems = err.problems;
  }
  assert.equal(problems.length, 5);
  assert.match(problems.join('\n'), /PORT must be an integer/);
  assert.match(problems.join('\n'), /DATABASE_URL is required/);
  assert.match(problems.join('\n'), /LOG_LEVEL must be one of info, debug/);
  assert.match(problems.join('\n'), /FLAG must be true or false/);
  assert.match(problems.join('\n'), /USERS_URL must be a URL/);
});

test('enforces numeric bounds', () => {
  assert.throws(() => loadConfig('svc', shape, { PORT: '70000', DATABASE_URL: 'x' }), /PORT must be at most 65535/);
});

test('a parsed setting reports what its parser says, and a secret one never repeats its value', () => {
  const keyShape = {
    key: parsed(
      'SIGNING_KEY',
      (v) => {
        if (!v.startsWith('-----BEGIN')) throw new Error('must be a PEM key');
        return v;
      },
      { secret: true },
    ),
    mode: parsed('MODE', (v) => ({ fast: 1, slow: 2 })[v] ?? Number.NaN, { default: 1 }),
  };
  assert.deepEqual(
    { ...loadConfig('svc', keyShape, { SIGNING_KEY: '-----BEGIN KEY' }) },
    { key: '-----BEGIN KEY', mode: 1 },
  );
  assert.throws(
    () => loadConfig('svc', keyShape, { SIGNING_KEY: 'hunter2-secret' }),
    (err: ConfigError) => {
      assert.deepEqual(err.problems, ['SIGNING_KEY must be a PEM key']);
      return !err.message.includes('hunter2');
    },
  );
});

test('the shared server and database settings default to loopback, the design timeouts and a bounded pool', () => {
  const c = loadConfig(
    'svc',
    { ...serverSettings(5003), ...databaseSettings(20, 2) },
    { DATABASE_URL: 'postgres://x' },
  );
  assert.deepEqual(
    { ...c },
    {
      host: '127.0.0.1',
      port: 5003,
      logLevel: 'info',
      healthTimeoutMs: 3_000,
      databaseUrl: 'postgres://x',
      databasePoolSize: 20,
      databaseConnectTimeoutMs: 10_000,
      databaseStatementTimeoutMs: 10_000,
    },
  );
  assert.throws(
    () => loadConfig('svc', databaseSettings(10, 2), { DATABASE_URL: 'x', DATABASE_POOL_SIZE: '1' }),
    /DATABASE_POOL_SIZE must be at least 2/,
  );
});
