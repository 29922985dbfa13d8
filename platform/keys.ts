import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The local platform's token-signing key: made once, kept with the data so tokens survive a restart. */
export async function ensureSigningKey(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'keys', 'jwt-ed25519.pem');
  if (existsSync(file)) return readFile(file, 'utf8');
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await writeFile(file, pem, { mode: 0o600 });
  return pem;
}
