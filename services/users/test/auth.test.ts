import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signTestToken, unsignedToken } from '@emporium/kit/testing';
import { login, register, signUp, startUsers, type Users } from './helpers.ts';

let u: Users;
before(async () => {
  u = await startUsers({ LOGIN_MAX_FAILURES: '5' });
});
after(() => u.close());

const refresh = (token: string) =>
  u.app.inject({ method: 'POST', url: '/api/users/refresh', payload: { refresh_token: token } });

describe('login', () => {
  test('by username or email gives a Bearer pair and the user', async () => {
    await register(u, 'in_alice');
    const byName = await login(u, 'in_alice');
    assert.equal(byName.statusCode, 200);
    const body = byName.json();
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 900);
    assert.equal(body.user.username, 'in_alice');
    const byEmail = await u.app.inject({
      method: 'POST',
      url: '/api/users/login',
      payload: { email: 'IN_ALICE@example.com', password: 'a-good-password' },
    });
    assert.equal(byEmail.statusCode, 200);
  });

  test('a wrong password and an unknown user get the same 401', async () => {
    await register(u, 'in_bob');
    const wrong = await login(u, 'in_bob', 'not-the-password');
    const unknown = await login(u, 'nobody_at_all', 'not-the-password');
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.deepEqual(
      { ...(wrong.json() as object), instance: null },
      { ...(unknown.json() as object), instance: null },
    );
  });

  test('repeated failures are throttled per account, even with the right password, until the lock ends', async () => {
    await register(u, 'in_carol');
    for (let i = 0; i < 5; i++) assert.equal((await login(u, 'in_carol', 'guess-' + i)).statusCode, 401);
    const locked = await login(u, 'in_carol');
    assert.equal(locked.statusCode, 429);
    assert.equal(locked.json().code, 'too_many_failed_logins');
    assert.ok(Number(locked.headers['retry-after']) > 0);
    // Another account is not affected.
    await register(u, 'in_dave');
    assert.equal((await login(u, 'in_dave')).statusCode, 200);
    await u.pool.query("UPDATE login_throttle SET locked_until = now() - interval '1 second'");
    assert.equal((await login(u, 'in_carol')).statusCode, 200);
  });

  test('unknown names are throttled the same way, so a 429 does not reveal whether an account exists', async () => {
    for (let i = 0; i < 5; i++) await login(u, 'ghost_user', 'guess-' + i);
    assert.equal((await login(u, 'ghost_user', 'guess')).statusCode, 429);
  });
});

describe('login throttling under concurrency', () => {
  test('60 concurrent wrong guesses: at most 5 evaluated, the rest 429, no 5xx; then the right one waits', async () => {
    await register(u, 'burst_olga');
    const guesses = Array.from({ length: 60 }, (_, i) => login(u, 'burst_olga', `guess-${i}-x`));
    const codes = (await Promise.all(guesses)).map((r) => r.statusCode);
    const count = (status: number) => codes.filter((c) => c === status).length;
    assert.deepEqual(
      codes.filter((c) => c !== 401 && c !== 429),
      [],
      codes.join(),
    );
    assert.ok(count(401) >= 1 && count(401) <= 5, `${count(401)} guesses were evaluated`);
    assert.equal(count(429), 60 - count(401));
    const right = await login(u, 'burst_olga');
    assert.equal(right.statusCode, 429);
    assert.equal(right.json().code, 'too_many_failed_logins');
    assert.ok(Number(right.headers['retry-after']) > 60, 'the lock, not a momentary refusal');
  });

  test('the same holds for a name that matches no account', async () => {
    const guesses = Array.from({ length: 30 }, () => login(u, 'burst_ghost', 'guess-x-123'));
    const codes = (await Promise.all(guesses)).map((r) => r.statusCode);
    assert.ok(codes.filter((c) => c === 401).length <= 5);
    assert.equal(codes.filter((c) => c !== 401 && c !== 429).length, 0);
  });
});

describe('refresh tokens', () => {
  test('rotate: each refresh gives a new pair and spends the old token', async () => {
    const me = await signUp(u, 'rt_erin');
    const first = await refresh(me.refresh);
    assert.equal(first.statusCode, 200);
    const next = first.json();
    assert.notEqual(next.refresh_token, me.refresh);
    assert.equal(
      (await u.app.inject({ url: '/api/users/me', headers: { authorization: `Bearer ${next.access_token}` } }))
        .statusCode,
      200,
    );
    assert.equal((await refresh(next.refresh_token)).statusCode, 200);
  });

  test('reusing a spent token is 401 and revokes the whole family', async () => {
    const me = await signUp(u, 'rt_frank');
    const rotated = (await refresh(me.refresh)).json();
    const reuse = await refresh(me.refresh);
    assert.equal(reuse.statusCode, 401);
    assert.equal(reuse.json().code, 'invalid_refresh_token');
    // The legitimate newest token died with the family.
    assert.equal((await refresh(rotated.refresh_token)).statusCode, 401);
    // Another session of the same user is a different family and lives on.
    const other = (await login(u, 'rt_frank')).json();
    assert.equal((await refresh(other.refresh_token)).statusCode, 200);
  });

  test('concurrent refreshes with one token: exactly one wins', async () => {
    const me = await signUp(u, 'rt_grace');
    const results = await Promise.all(Array.from({ length: 5 }, () => refresh(me.refresh)));
    assert.equal(results.filter((r) => r.statusCode === 200).length, 1);
    assert.equal(results.filter((r) => r.statusCode === 401).length, 4);
  });

  test('logout ends the session and is safe to repeat', async () => {
    const me = await signUp(u, 'rt_heidi');
    const out = () =>
      u.app.inject({ method: 'POST', url: '/api/users/logout', payload: { refresh_token: me.refresh } });
    assert.equal((await out()).statusCode, 204);
    assert.equal((await out()).statusCode, 204);
    assert.equal((await refresh(me.refresh)).statusCode, 401);
  });

  test('garbage and expired refresh tokens are 401', async () => {
    assert.equal((await refresh('not-a-token')).statusCode, 401);
    const me = await signUp(u, 'rt_ivan');
    await u.pool.query("UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1", [
      me.id,
    ]);
    assert.equal((await refresh(me.refresh)).statusCode, 401);
  });
});

describe('soft delete', () => {
  test('a deleted user cannot log in, refresh, or use their access token', async () => {
    const me = await signUp(u, 'del_judy');
    assert.equal(
      (await u.app.inject({ method: 'DELETE', url: `/api/users/${me.id}`, headers: me.auth })).statusCode,
      204,
    );
    assert.equal((await login(u, 'del_judy')).statusCode, 401);
    assert.equal((await refresh(me.refresh)).statusCode, 401);
    assert.equal((await u.app.inject({ url: '/api/users/me', headers: me.auth })).statusCode, 401);
    assert.equal((await u.app.inject({ url: `/api/users/${me.id}`, headers: me.auth })).statusCode, 404);
    const { rows } = await u.pool.query('SELECT deleted_at FROM users WHERE id = $1', [me.id]);
    assert.ok(rows[0].deleted_at instanceof Date, 'the row is kept, marked deleted');
    // The name stays reserved so nobody can take over the identity.
    assert.equal((await register(u, 'del_judy', { email: 'new_judy@example.com' })).statusCode, 409);
  });
});

describe('password reset', () => {
  test('answers 202 either way; the emailed token resets once and ends sessions', async () => {
    const me = await signUp(u, 'pr_kim');
    const unknown = await u.app.inject({
      method: 'POST',
      url: '/api/users/password-reset',
      payload: { email: 'nobody@example.com' },
    });
    const known = await u.app.inject({
      method: 'POST',
      url: '/api/users/password-reset',
      payload: { email: 'pr_kim@example.com' },
    });
    assert.equal(unknown.statusCode, 202);
    assert.equal(known.statusCode, 202);
    assert.deepEqual(unknown.json(), known.json());
    const mail = (await u.resetMails()).find((m) => m.email === 'pr_kim@example.com');
    assert.ok(mail, 'the reset token went to the outbox for the notification service');
    const confirm = (token: string, pw: string) =>
      u.app.inject({ method: 'POST', url: '/api/users/password-reset/confirm', payload: { token, new_password: pw } });
    assert.equal((await confirm(mail.token, 'brand-new-pass')).statusCode, 204);
    assert.equal((await confirm(mail.token, 'another-pass-1')).statusCode, 400);
    assert.equal((await login(u, 'pr_kim')).statusCode, 401);
    assert.equal((await login(u, 'pr_kim', 'brand-new-pass')).statusCode, 200);
    assert.equal((await refresh(me.refresh)).statusCode, 401);
  });

  test('a known and an unknown email run exactly the same statements', async () => {
    await signUp(u, 'pr_same');
    const statementsOf = async (email: string) => {
      const seen: string[] = [];
      const query = u.pool.query.bind(u.pool);
      u.pool.query = ((text: unknown, ...rest: unknown[]) => {
        seen.push(typeof text === 'string' ? text : String((text as { text?: string }).text));
        return (query as (...a: unknown[]) => unknown)(text, ...rest);
      }) as typeof u.pool.query;
      try {
        const res = await u.app.inject({ method: 'POST', url: '/api/users/password-reset', payload: { email } });
        assert.equal(res.statusCode, 202);
        return { seen, body: res.json() };
      } finally {
        u.pool.query = query;
      }
    };
    const known = await statementsOf('pr_same@example.com');
    const unknown = await statementsOf('pr_nobody@example.com');
    assert.ok(known.seen.length > 0);
    assert.deepEqual(unknown, known);
    assert.ok((await u.resetMails()).some((m) => m.email === 'pr_same@example.com'));
  });

  test('an expired or forged reset token is refused', async () => {
    await signUp(u, 'pr_leo');
    await u.app.inject({ method: 'POST', url: '/api/users/password-reset', payload: { email: 'pr_leo@example.com' } });
    const mail = (await u.resetMails()).find((m) => m.email === 'pr_leo@example.com')!;
    const forged = mail.token.slice(0, -4) + 'AAAA';
    const confirm = (token: string) =>
      u.app.inject({
        method: 'POST',
        url: '/api/users/password-reset/confirm',
        payload: { token, new_password: 'whatever-123' },
      });
    assert.equal((await confirm(forged)).statusCode, 400);
    await u.pool.query("UPDATE password_reset_tokens SET expires_at = now() - interval '1 second'");
    assert.equal((await confirm(mail.token)).statusCode, 400);
  });
});

describe('access tokens', () => {
  test('expired, foreign-key, wrong-issuer and alg:none tokens are 401', async () => {
    const me = await signUp(u, 'jwt_mia');
    const claims = { sub: String(me.id), role: 'admin', username: 'jwt_mia' };
    const { newSigningKey } = await import('@emporium/kit/testing');
    const cases = {
      expired: await signTestToken(u.key.privateKey, claims, { expiresAt: Math.floor(Date.now() / 1000) - 10 }),
      foreignKey: await signTestToken(newSigningKey().privateKey, claims),
      wrongIssuer: await signTestToken(u.key.privateKey, claims, { issuer: 'evil' }),
      algNone: unsignedToken(claims),
    };
    for (const [name, token] of Object.entries(cases)) {
      const res = await u.app.inject({ url: `/api/users/${me.id}`, headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.statusCode, 401, name);
    }
    // The same key and claims, properly signed, work: the failures above are the token's fault.
    const good = await signTestToken(u.key.privateKey, { ...claims, role: 'customer' });
    assert.equal(
      (await u.app.inject({ url: `/api/users/${me.id}`, headers: { authorization: `Bearer ${good}` } })).statusCode,
      200,
    );
  });

  test('the JWKS publishes only the public key', async () => {
    const jwks = (await u.app.inject('/.well-known/jwks.json')).json();
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0].kty, 'OKP');
    assert.equal(jwks.keys[0].crv, 'Ed25519');
    assert.ok(!('d' in jwks.keys[0]));
  });
});

test('no response or log line ever carries a password hash or a password', async () => {
  const me = await signUp(u, 'leak_noah');
  await u.app.inject({
    method: 'PUT',
    url: `/api/users/${me.id}`,
    headers: me.auth,
    payload: { password: 'second-password', current_password: 'a-good-password' },
  });
  await login(u, 'leak_noah', 'wrong-password-x');
  const { rows } = await u.pool.query('SELECT password_hash FROM users WHERE id = $1', [me.id]);
  const hash = rows[0].password_hash as string;
  const everything = u.logs.lines.join('\n');
  assert.ok(u.logs.lines.length > 10, 'requests were logged');
  for (const secret of [hash, 'a-good-password', 'second-password', 'wrong-password-x', me.refresh]) {
    assert.ok(!everything.includes(secret), `log leaked ${secret.slice(0, 8)}…`);
  }
  assert.doesNotMatch(everything, /password_hash"\s*:\s*"\$2/);
  const me2 = await u.app.inject({ url: '/api/users/me', headers: me.auth });
  assert.doesNotMatch(me2.body, /password/);
});
