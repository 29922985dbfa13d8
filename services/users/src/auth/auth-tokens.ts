import { createHash, createPrivateKey, createPublicKey, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, SignJWT, type JSONWebKeySet } from 'jose';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, type Role } from '@emporium/kit';

export interface TokenIssuer {
  issueAccessToken(user: { id: number; role: Role; username: string }): Promise<{ token: string; expiresIn: number }>;
  jwks: JSONWebKeySet;
}

/** Signs short-lived EdDSA access tokens; only the public key is published, so verifiers need no secret. */
export async function createTokenIssuer(privateKeyPem: string, ttlSeconds: number): Promise<TokenIssuer> {
  const privateKey = createPrivateKey(privateKeyPem.replaceAll('\\n', '\n'));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('JWT_PRIVATE_KEY must be an Ed25519 private key');
  const publicJwk = await exportJWK(createPublicKey(privateKey));
  const kid = await calculateJwkThumbprint(publicJwk);
  const jwks: JSONWebKeySet = { keys: [{ ...publicJwk, kid, alg: 'EdDSA', use: 'sig' }] };

  return {
    jwks,
    async issueAccessToken(user) {
      const token = await new SignJWT({ role: user.role, username: user.username })
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' })
        .setSubject(String(user.id))
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .setJti(randomUUID())
        .sign(privateKey);
      return { token, expiresIn: ttlSeconds };
    },
  };
}

/** Opaque tokens are `<row id>.<secret>`; only a hash of the secret is stored. */
export interface OpaqueToken {
  id: string;
  token: string;
  hash: Buffer;
}

const hashSecret = (secret: string): Buffer => createHash('sha256').update(secret).digest();

export function newOpaqueToken(): OpaqueToken {
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `${id}.${secret}`, hash: hashSecret(secret) };
}

const OPAQUE = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

export function parseOpaqueToken(token: string): { id: string; hash: Buffer } | undefined {
  const m = OPAQUE.exec(token);
  return m ? { id: m[1]!, hash: hashSecret(m[2]!) } : undefined;
}

export const sameHash = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);
