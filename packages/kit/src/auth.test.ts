import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createTokenVerifier } from './auth.ts';
import { isDomainError } from './errors.ts';
import { newSigningKey, signTestToken } from './testing/index.ts';

// A key set that cannot be had is the verifier's failure: the client's token may be fine, so 503, not 401.
let server: Server;
let base: string;
before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/garbage') res.writeHead(200, { 'content-type': 'application/json' }).end('{"not":"a jwks"}');
    // '/silent' never answers, so jose's JWKS timeout fires.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

for (const path of ['/garbage', '/silent']) {
  test(`a JWKS endpoint that answers ${path.slice(1)} makes the check unavailable (503), not the token invalid`, async () => {
    const token = await signTestToken(newSigningKey().privateKey, { sub: '1', role: 'customer' });
    const verify = createTokenVerifier({ jwksUrl: base + path });
    const err = await verify(token).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(isDomainError(err));
    assert.deepEqual([err.code, err.kind], ['auth_unavailable', 'unavailable']);
  });
}
