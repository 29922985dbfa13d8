import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { publicJwkOf } from '@emporium/kit';

/** The local platform's token-signing key: made once, kept with the data so tokens survive a restart. */
export async function ensureSigningKey(dataDir: string): Promise<string> {
  return ensureKeyFile(path.join(dataDir, 'keys', 'jwt-ed25519.pem'));
}

async function ensureKeyFile(file: string): Promise<string> {
  if (existsSync(file)) return readFile(file, 'utf8');
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await writeFile(file, pem, { mode: 0o600 });
  return pem;
}

/** The services (and functions) that call another's internal API, each with its own key pair (decision 0009). */
export const SERVICE_CALLERS = ['orders', 'notifications', 'product-images'] as const;

export interface ServiceKeys {
  /** Each service's private key (PEM), for its SERVICE_PRIVATE_KEY. */
  privateKeys: Record<string, string>;
  /** Every service's public key, as SERVICE_TRUSTED_KEYS: `{"orders": <Ed25519 JWK>, ...}`. */
  trustedKeys: string;
}

/**
 * One Ed25519 key pair per service for service-to-service calls (decision 0009), made once and kept
 * with the data like the token key; in a cluster they come from Kubernetes Secrets instead.
 */
export async function ensureServiceKeys(dataDir: string, services: readonly string[]): Promise<ServiceKeys> {
  const privateKeys: Record<string, string> = {};
  const publicKeys: Record<string, object> = {};
  for (const name of services) {
    privateKeys[name] = await ensureKeyFile(path.join(dataDir, 'keys', `service-${name}-ed25519.pem`));
    publicKeys[name] = await publicJwkOf(privateKeys[name]);
  }
  return { privateKeys, trustedKeys: JSON.stringify(publicKeys) };
}
