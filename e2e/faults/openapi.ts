import type { Shop } from '../checkout/shop.ts';

type Schema = { properties?: Record<string, unknown>; anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[] };

export interface Operation {
  method: string;
  /** The path as the document writes it, e.g. `/api/orders/{id}`. */
  path: string;
  /** The JSON body's schema, when the operation takes one. */
  body?: Schema;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Every public operation, read from the gateway's merged OpenAPI document: a new route is in it by itself. */
export async function operations(s: Shop): Promise<Operation[]> {
  const doc = (await s.call('GET', '/docs/json')).json as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => {
      const op = item[m] as { requestBody?: { content?: Record<string, { schema?: Schema }> } };
      const body = op.requestBody?.content?.['application/json']?.schema;
      return { method: m.toUpperCase(), path, ...(body ? { body } : {}) };
    }),
  );
}

export const key = (op: Operation) => `${op.method} ${op.path}`;
export const hasPathParams = (op: Operation) => op.path.includes('{');

/** The path with each `{name}` replaced. */
export const fill = (path: string, values: Record<string, string | number>) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (values[name] === undefined) throw new Error(`no value for {${name}} in ${path}`);
    return String(values[name]);
  });

/** The fields a body schema accepts (of every alternative, for anyOf/oneOf). */
export function declaredFields(schema: Schema): Set<string> {
  const out = new Set(Object.keys(schema.properties ?? {}));
  for (const alt of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])])
    for (const f of declaredFields(alt)) out.add(f);
  return out;
}
