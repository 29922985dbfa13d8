import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { after, before, test } from 'node:test';
import { testBrokers } from '@emporium/messaging/testing';
import { address, startShop, type Shop } from './shop.ts';

const skip = testBrokers().length ? false : 'no Kafka broker (run with npm test)';
let s: Shop;
let burners: ChildProcess[] = [];

before(async () => {
  // The production bcrypt cost, so password hashing really competes for the machine.
  if (!skip) s = await startShop({ usersEnv: { BCRYPT_COST: '12' } });
});
after(async () => {
  for (const b of burners) b.kill('SIGKILL');
  if (!skip) await s.close();
});

/** One busy loop per core, each ending by itself after `seconds` even if this test dies. */
function burnCpu(seconds: number): ChildProcess[] {
  const code = `const end = Date.now() + ${seconds * 1000}; while (Date.now() < end) {}`;
  return Array.from({ length: availableParallelism() }, () =>
    spawn(process.execPath, ['-e', code], { stdio: 'ignore' }),
  );
}

test(
  '20 parallel logins and 20 orders while every core is saturated: slower, but no 5xx',
  { skip, timeout: 180_000 },
  async () => {
    const names = Array.from({ length: 20 }, (_, i) => `busy_${i}`);
    for (const n of names)
      await s.call('POST', '/api/users/register', {
        username: n,
        email: `${n}@example.com`,
        password: 'a-good-password',
      });
    const product = await s.product(100);
    burners = burnCpu(60);
    try {
      const logins = await Promise.all(
        names.map((n) => s.call('POST', '/api/users/login', { username: n, password: 'a-good-password' })),
      );
      assert.deepEqual(
        [...new Set(logins.map((r) => r.status))],
        [200],
        logins.map((r) => `${r.status} ${r.json?.code ?? ''}`).join(),
      );
      const orders = await Promise.all(
        logins.map((l) =>
          s.call(
            'POST',
            '/api/orders',
            { items: [{ product_id: product.id, quantity: 1 }], shipping_address: address },
            { authorization: `Bearer ${l.json.access_token}` },
          ),
        ),
      );
      const codes = orders.map((r) => r.status);
      assert.ok(
        codes.every((c) => c < 500),
        codes.join(),
      );
      assert.ok(
        codes.every((c) => c === 201 || c === 202),
        codes.join(),
      );
    } finally {
      for (const b of burners) b.kill('SIGKILL');
    }
    assert.equal(await s.stockOf(product.id), 80);
  },
);
