import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { login, register, startUsers, type Users } from './helpers.ts';

// Near the production bcrypt cost (12): at the tests' usual 4, hashing is too cheap to crowd anything out.
// bcrypt and PostgreSQL's SCRAM handshake share libuv's thread pool, which is what used to turn bursts into 500s.
let u: Users;
before(async () => {
  u = await startUsers({ BCRYPT_COST: '11' });
});
after(() => u.close());

const statuses = (results: Array<{ statusCode: number }>) => results.map((r) => r.statusCode);
const serverErrors = (codes: number[]) => codes.filter((c) => c >= 500);

test('20 parallel registrations, each followed by its login, never answer 5xx', async () => {
  const codes = (
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const reg = await register(u, `load_${i}`);
        return [reg.statusCode, (await login(u, `load_${i}`)).statusCode];
      }),
    )
  ).flat();
  assert.deepEqual(serverErrors(codes), []);
  assert.deepEqual(codes, Array.from({ length: 20 }, () => [201, 200]).flat());
});

test('60 parallel logins for one account never answer 5xx', async () => {
  assert.equal((await register(u, 'load_many')).statusCode, 201);
  const codes = statuses(await Promise.all(Array.from({ length: 60 }, () => login(u, 'load_many'))));
  assert.deepEqual(serverErrors(codes), []);
  assert.ok(
    codes.every((c) => c === 200 || c === 429),
    codes.join(),
  );
  assert.ok(codes.includes(200));
});
