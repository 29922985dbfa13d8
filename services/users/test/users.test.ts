import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { login, register, signUp, startUsers, type Users } from './helpers.ts';

let u: Users;
before(async () => {
  u = await startUsers({ ADMIN_EMAIL: 'root@example.com' });
});
after(() => u.close());

describe('registration', () => {
  test('creates a customer and never returns the password hash', async () => {
    const res = await register(u, 'reg_alice', {
      full_name: 'Alice A',
      phone: '+44 20 7946 0000',
      address: '1 High St',
    });
    assert.equal(res.statusCode, 201);
    const user = res.json();
    assert.equal(user.username, 'reg_alice');
    assert.equal(user.role, 'customer');
    assert.equal(user.full_name, 'Alice A');
    assert.ok(!('password_hash' in user) && !('password' in user));
    const { rows } = await u.pool.query('SELECT password_hash FROM users WHERE id = $1', [user.id]);
    assert.match(rows[0].password_hash, /^\$2[aby]\$04\$/);
  });

  test('a duplicate username or email (any case) is 409', async () => {
    await register(u, 'dup_bob');
    const sameName = await register(u, 'DUP_BOB', { email: 'other@example.com' });
    assert.equal(sameName.statusCode, 409);
    assert.equal(sameName.json().code, 'username_taken');
    const sameEmail = await register(u, 'dup_bob2', { email: 'Dup_Bob@Example.com' });
    assert.equal(sameEmail.statusCode, 409);
    assert.equal(sameEmail.json().code, 'email_taken');
  });

  test('10 concurrent registrations of one username give exactly one 201', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => register(u, 'race_carol', { email: `race${i}@example.com` })),
    );
    const codes = results.map((r) => r.statusCode).sort();
    assert.deepEqual(codes, [201, ...Array(9).fill(409)]);
    const { rows } = await u.pool.query("SELECT count(*)::int AS n FROM users WHERE lower(username) = 'race_carol'");
    assert.equal(rows[0].n, 1);
  });

  test('a client cannot choose its role', async () => {
    const res = await register(u, 'sneaky_dan', { role: 'admin' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().errors, [{ field: 'role', message: 'is not an accepted field' }]);
    const { rows } = await u.pool.query("SELECT count(*)::int AS n FROM users WHERE username = 'sneaky_dan'");
    assert.equal(rows[0].n, 0);
  });

  test('passwords must be 8 to 72 bytes', async () => {
    assert.equal((await register(u, 'short_pw', { password: 'short' })).statusCode, 400);
    // 25 three-byte characters: 25 characters but 75 bytes, which bcrypt would silently truncate.
    const long = await register(u, 'long_pw', { password: '€'.repeat(25) });
    assert.equal(long.statusCode, 400);
    assert.equal(long.json().code, 'invalid_password');
  });

  test('wrong types and malformed JSON are 400 problems that change nothing', async () => {
    const before = (await u.pool.query('SELECT count(*)::int AS n FROM users')).rows[0].n;
    const wrongType = await u.app.inject({
      method: 'POST',
      url: '/api/users/register',
      payload: { username: 42, email: 'x@example.com', password: 12345678 },
    });
    assert.equal(wrongType.statusCode, 400);
    assert.equal(wrongType.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.deepEqual(
      wrongType
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
      ['password', 'username'],
    );
    const malformed = await u.app.inject({
      method: 'POST',
      url: '/api/users/register',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "x",',
    });
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json().code, 'malformed_json');
    const text = await u.app.inject({
      method: 'POST',
      url: '/api/users/register',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    assert.equal(text.statusCode, 415);
    assert.equal((await u.pool.query('SELECT count(*)::int AS n FROM users')).rows[0].n, before);
  });

  test('SQL-looking input is stored as plain data', async () => {
    const evil = "Robert'); DROP TABLE users;--";
    const res = await register(u, 'bobby_tables', { full_name: evil, address: "' OR '1'='1" });
    assert.equal(res.statusCode, 201);
    const me = await signUpExisting('bobby_tables');
    const got = await u.app.inject({ url: `/api/users/${me.id}`, headers: me.auth });
    assert.equal(got.json().full_name, evil);
    assert.equal(got.json().address, "' OR '1'='1");
    assert.equal((await u.pool.query("SELECT to_regclass('users') IS NOT NULL AS ok")).rows[0].ok, true);
  });
});

async function signUpExisting(name: string) {
  const res = await login(u, name);
  const body = res.json();
  return { id: body.user.id as number, auth: { authorization: `Bearer ${body.access_token}` } };
}

describe('profiles and access', () => {
  test('a user reads and updates their own profile', async () => {
    const me = await signUp(u, 'prof_erin');
    assert.equal((await u.app.inject({ url: '/api/users/me', headers: me.auth })).json().id, me.id);
    const put = await u.app.inject({
      method: 'PUT',
      url: `/api/users/${me.id}`,
      headers: me.auth,
      payload: { full_name: 'Erin E', address: '2 Low St' },
    });
    assert.equal(put.statusCode, 200);
    assert.equal(put.json().full_name, 'Erin E');
    assert.equal((await u.app.inject({ url: `/api/users/${me.id}`, headers: me.auth })).json().address, '2 Low St');
  });

  test("another user's id is 404 on every route that takes an id", async () => {
    const a = await signUp(u, 'own_frank');
    const b = await signUp(u, 'own_grace');
    for (const [method, payload] of [['GET'], ['PUT', { full_name: 'hijacked' }], ['DELETE']] as const) {
      const res = await u.app.inject({
        method,
        url: `/api/users/${b.id}`,
        headers: a.auth,
        ...(payload ? { payload } : {}),
      });
      assert.equal(res.statusCode, 404, `${method} answered ${res.statusCode}`);
    }
    const still = await u.app.inject({ url: `/api/users/${b.id}`, headers: b.auth });
    assert.equal(still.statusCode, 200);
    assert.notEqual(still.json().full_name, 'hijacked');
  });

  test('a customer cannot make themselves admin; an admin can promote', async () => {
    const me = await signUp(u, 'esc_heidi');
    const res = await u.app.inject({
      method: 'PUT',
      url: `/api/users/${me.id}`,
      headers: me.auth,
      payload: { role: 'admin' },
    });
    assert.equal(res.statusCode, 403);
    assert.equal((await u.pool.query('SELECT role FROM users WHERE id = $1', [me.id])).rows[0].role, 'customer');

    await u.app.userService.bootstrapAdmin('root@example.com', 'root-password-1');
    const admin = (
      await u.app.inject({
        method: 'POST',
        url: '/api/users/login',
        payload: { email: 'root@example.com', password: 'root-password-1' },
      })
    ).json();
    const auth = { authorization: `Bearer ${admin.access_token}` };
    assert.equal(admin.user.role, 'admin');
    assert.equal((await u.app.inject({ url: `/api/users/${me.id}`, headers: auth })).statusCode, 200);
    const promote = await u.app.inject({
      method: 'PUT',
      url: `/api/users/${me.id}`,
      headers: auth,
      payload: { role: 'admin' },
    });
    assert.equal(promote.json().role, 'admin');
  });

  test('changing the password needs the current one and ends other sessions', async () => {
    const me = await signUp(u, 'pw_ivan');
    const noProof = await u.app.inject({
      method: 'PUT',
      url: `/api/users/${me.id}`,
      headers: me.auth,
      payload: { password: 'new-password-1' },
    });
    assert.equal(noProof.statusCode, 403);
    const ok = await u.app.inject({
      method: 'PUT',
      url: `/api/users/${me.id}`,
      headers: me.auth,
      payload: { password: 'new-password-1', current_password: 'a-good-password' },
    });
    assert.equal(ok.statusCode, 200);
    assert.equal(
      (await u.app.inject({ method: 'POST', url: '/api/users/refresh', payload: { refresh_token: me.refresh } }))
        .statusCode,
      401,
    );
    assert.equal((await login(u, 'pw_ivan', 'new-password-1')).statusCode, 200);
  });

  test('changing the email needs the current password; the reset links sent before stop working', async () => {
    const me = await signUp(u, 'mail_kate');
    const put = (payload: Record<string, unknown>) =>
      u.app.inject({ method: 'PUT', url: `/api/users/${me.id}`, headers: me.auth, payload });
    const reset = (payload: Record<string, unknown>) =>
      u.app.inject({ method: 'POST', url: '/api/users/password-reset', payload });
    await reset({ email: 'mail_kate@example.com' });
    const link = (await u.resetMails()).find((m) => m.email === 'mail_kate@example.com')!;
    const noProof = await put({ email: 'kate.new@example.com' });
    assert.equal(noProof.statusCode, 403);
    assert.equal(noProof.json().code, 'current_password_wrong');
    assert.equal((await put({ email: 'kate.new@example.com', current_password: 'not-my-password' })).statusCode, 403);
    const stored = await u.pool.query('SELECT email FROM users WHERE id = $1', [me.id]);
    assert.equal(stored.rows[0].email, 'mail_kate@example.com');
    // Profile fields, and the email already on file, need no proof.
    assert.equal((await put({ full_name: 'Kate K', email: 'MAIL_KATE@example.com' })).statusCode, 200);
    const ok = await put({ email: 'kate.new@example.com', current_password: 'a-good-password' });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().email, 'kate.new@example.com');
    const payload = { token: link.token, new_password: 'taken-over-1' };
    const confirm = await u.app.inject({ method: 'POST', url: '/api/users/password-reset/confirm', payload });
    assert.equal(confirm.statusCode, 400);
  });

  test('wrong current passwords are throttled like logins', async () => {
    const me = await signUp(u, 'guess_liam');
    const put = (current: string) =>
      u.app.inject({
        method: 'PUT',
        url: `/api/users/${me.id}`,
        headers: me.auth,
        payload: { password: 'new-password-1', current_password: current },
      });
    const guesses = Array.from({ length: 20 }, (_, i) => put(`guess-${i}-xx`));
    const codes = (await Promise.all(guesses)).map((r) => r.statusCode);
    assert.ok(codes.filter((c) => c === 403).length <= 5, codes.join());
    assert.equal(codes.filter((c) => c !== 403 && c !== 429).length, 0, codes.join());
    assert.equal((await put('a-good-password')).statusCode, 429);
  });

  test("an admin changes another user's email without their password, but never sets their password", async () => {
    const me = await signUp(u, 'adm_mona');
    await u.app.userService.bootstrapAdmin('root@example.com', 'root-password-1');
    const admin = (
      await u.app.inject({
        method: 'POST',
        url: '/api/users/login',
        payload: { email: 'root@example.com', password: 'root-password-1' },
      })
    ).json();
    const auth = { authorization: `Bearer ${admin.access_token}` };
    const put = (id: number, payload: Record<string, unknown>) =>
      u.app.inject({ method: 'PUT', url: `/api/users/${id}`, headers: auth, payload });
    const email = await put(me.id, { email: 'mona.fixed@example.com' });
    assert.equal(email.statusCode, 200);
    const password = await put(me.id, { password: 'admin-chosen-1' });
    assert.equal(password.statusCode, 403);
    assert.equal(password.json().code, 'password_change_forbidden');
    assert.equal((await login(u, 'adm_mona')).statusCode, 200);
    // Their own account follows the owner's rule.
    const own = await put(admin.user.id, { email: 'root2@example.com' });
    assert.equal(own.statusCode, 403);
  });

  test('requests without a valid token are 401', async () => {
    const me = await signUp(u, 'tok_judy');
    for (const headers of [
      {},
      { authorization: 'Bearer nonsense' },
      { authorization: `Basic ${me.access}` },
      { authorization: `Bearer ${me.access}x` },
    ]) {
      const res = await u.app.inject({ url: `/api/users/${me.id}`, headers });
      assert.equal(res.statusCode, 401, JSON.stringify(headers));
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    }
  });
});
