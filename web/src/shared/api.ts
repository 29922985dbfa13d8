import { getSession, refreshSession } from './session.ts';

/** A problem+json answer (RFC 9457), with its field errors by dotted field name. */
export class ApiError extends Error {
  status: number;
  code: string;
  fields: Record<string, string>;
  body: Record<string, unknown>;

  constructor(status: number, body: Record<string, unknown>) {
    super(typeof body['detail'] === 'string' ? body['detail'] : `The shop answered ${status}.`);
    this.status = status;
    this.code = typeof body['code'] === 'string' ? body['code'] : 'error';
    this.body = body;
    this.fields = {};
    const errors = Array.isArray(body['errors']) ? (body['errors'] as Array<{ field: string; message: string }>) : [];
    for (const e of errors) this.fields[e.field] ??= readable(e.message);
  }
}

// Validator wording, said the way a person would.
function readable(message: string): string {
  if (/fewer than 1 character|required property/.test(message)) return 'is required';
  if (/must match pattern|must match format/.test(message)) return 'is not in the right format';
  const more = /must NOT have more than (\d+) characters/.exec(message);
  if (more) return `must be at most ${more[1]} characters`;
  const fewer = /must NOT have fewer than (\d+) characters/.exec(message);
  if (fewer) return `must be at least ${fewer[1]} characters`;
  return message;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

async function send(path: string, options: CallOptions, token: string | undefined): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers['authorization'] = `Bearer ${token}`;
  try {
    return await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, { detail: 'The shop cannot be reached. Check your connection and try again.' });
  }
}

/** Calls the gateway's API as the signed-in user, refreshing the access token when it is due or refused. */
export async function api<T>(path: string, options: CallOptions = {}): Promise<T> {
  let session = getSession();
  // A refresh that could not be made (offline) keeps the old token: the call says what is wrong.
  if (session && session.expiresAt - Date.now() < 30_000) session = (await refreshSession(session)) ?? getSession();
  let res = await send(path, options, session?.accessToken);
  if (res.status === 401 && session) {
    const renewed = await refreshSession(session);
    if (renewed) res = await send(path, options, renewed.accessToken);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) throw new ApiError(res.status, (body ?? {}) as Record<string, unknown>);
  return body as T;
}

export const query = (params: Record<string, string | number | boolean | undefined | null>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}
