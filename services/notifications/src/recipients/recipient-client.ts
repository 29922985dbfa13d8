import { createServiceClient, DomainError, type Registry, type ServiceCredential } from '@emporium/kit';

/** What the users service tells us about a person we write to (its internal route; nobody else's data). */
export interface Recipient {
  user_id: number;
  email: string;
  name: string;
  phone: string | null;
  push_tokens: Array<{ token: string; platform: string }>;
  preferences: { email: boolean; sms: boolean; push: boolean; promotional: boolean };
}

/** The user does not exist (or was deleted): nothing can be delivered to them, whatever we retry. */
export class RecipientGoneError extends Error {
  constructor(userId: number) {
    super(`user ${userId} does not exist or was deleted`);
    this.name = 'RecipientGoneError';
  }
}

/**
 * Looks recipients up in the users service (signed with our service key), cached for `cacheSeconds` so a
 * burst of events about one customer costs one call; concurrent lookups of one user share it.
 */
export function createRecipientClient(options: {
  baseUrl: string;
  timeoutMs: number;
  cacheSeconds: number;
  registry: Registry;
  credential: ServiceCredential;
  now?: () => number;
}) {
  const http = createServiceClient({ target: 'users', ...options });
  const now = options.now ?? Date.now;
  const cache = new Map<number, { value: Promise<Recipient>; until: number }>();

  async function fetchRecipient(userId: number): Promise<Recipient> {
    const res = await http.json<Recipient>({ method: 'GET', path: `/internal/users/${userId}/recipient` });
    if (res.statusCode === 200) return res.body;
    if (res.statusCode === 404) throw new RecipientGoneError(userId);
    throw new DomainError('users_unavailable', 'unavailable', `The users service answered ${res.statusCode}.`);
  }

  return {
    get(userId: number): Promise<Recipient> {
      const hit = cache.get(userId);
      if (hit && hit.until > now()) return hit.value;
      const value = fetchRecipient(userId);
      cache.set(userId, { value, until: now() + options.cacheSeconds * 1000 });
      // A failed lookup is not remembered: the next event asks again.
      value.catch(() => cache.get(userId)?.value === value && cache.delete(userId));
      if (cache.size > 10_000) cache.delete(cache.keys().next().value as number);
      return value;
    },
    close: () => http.close(),
  };
}

export type RecipientClient = ReturnType<typeof createRecipientClient>;
