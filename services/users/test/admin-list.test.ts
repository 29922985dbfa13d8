import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { login, signUp, startUsers, type Users } from './helpers.ts';

let u: Users;
let admin: { authorization: string };
before(async () => {
  u = await startUsers({ ADMIN_EMAIL: 'root@example.com' });
  await u.app.userService.bootstrapAdmin('root@example.com', 'root-password-1');
  const res = await u.app.inject({
    method: 'POST',
    url: '/api/users/login',
    payload: { email: 'root@example.com', password: 'root-password-1' },
  });
  admin = { authorization: `Bearer ${res.json().access_token}` };
});
after(() => u.close());

const list = (query: string, headers = admin) => u.app.inject({ method: 'GET', url: `/api/users?${query}`, headers });
const names = (body: { items: Array<{ username: string }> }) => body.items.map((i) => i.username);

test('an admin pages through every account, newest first, with deactivated ones marked', async () => {
  const ids: number[] = [];
  for (const name of ['list_ann', 'list_ben', 'list_cy']) ids.push((await signUp(u, name)).id);
  const del = await u.app.inject({ method: 'DELETE', url: `/api/users/${ids[1]}`, headers: admin });
  assert.equal(del.statusCode, 204);

  const first = await list('q=list_&limit=2');
  assert.equal(first.statusCode, 200);
  assert.deepEqual(names(first.json()), ['list_cy', 'list_ben']);
  assert.ok(first.json().items[1].deleted_at);
  assert.equal(first.json().items[0].deleted_at, null);
  assert.ok(!('password_hash' in first.json().items[0]));
  const second = await list(`q=list_&limit=2&cursor=${first.json().next_cursor}`);
  assert.deepEqual(names(second.json()), ['list_ann']);
  assert.equal(second.json().next_cursor, null);

  assert.deepEqual(names((await list('q=list_&status=deactivated')).json()), ['list_ben']);
  assert.deepEqual(names((await list('q=list_&status=active')).json()), ['list_cy', 'list_ann']);
  assert.deepEqual(names((await list(`q=${ids[0]}`)).json()), ['list_ann']);
  assert.deepEqual(names((await list('q=LIST_CY%40EXAMPLE')).json()), ['list_cy']);
  assert.deepEqual(names((await list('role=admin')).json()), ['admin']);
});

test('the search text is literal: % and _ match only themselves', async () => {
  await signUp(u, 'pct_dora');
  assert.deepEqual(names((await list('q=%25')).json()), []);
  assert.deepEqual(names((await list('q=t_d')).json()), ['pct_dora']);
  assert.deepEqual(names((await list('q=t_x')).json()), []);
});

test('a date range selects by creation time (from inclusive, to exclusive)', async () => {
  await signUp(u, 'range_eve');
  await u.pool.query("UPDATE users SET created_at = '2020-03-01T12:00:00Z' WHERE username = 'range_eve'");
  assert.deepEqual(names((await list('from=2020-03-01&to=2020-03-02')).json()), ['range_eve']);
  assert.deepEqual(names((await list('from=2020-03-01T12:00:01Z')).json()).includes('range_eve'), false);
  assert.deepEqual(names((await list('to=2020-03-01T12:00:00Z')).json()), []);
});

test('a customer gets 403 and learns nothing; bad filters are 400 problems', async () => {
  const me = await signUp(u, 'nosy_fay');
  const refused = await list('', me.auth);
  assert.equal(refused.statusCode, 403);
  assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.equal((await u.app.inject({ method: 'GET', url: '/api/users' })).statusCode, 401);
  for (const query of ['status=gone', 'from=yesterday', 'limit=500', 'cursor=bm90LWEtbnVtYmVy', 'color=red']) {
    const res = await list(query);
    assert.equal(res.statusCode, 400, query);
    assert.ok(res.json().errors?.length, query);
  }
  assert.equal((await list('from=0000-01-01')).statusCode, 400);
  assert.equal((await login(u, 'nosy_fay')).statusCode, 200);
});
