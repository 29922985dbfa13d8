import { DomainError } from './errors.ts';

// Keyset pages over integer ids, newest first: the cursor is the last id shown, opaque to clients.

const invalid = (field: string, detail: string) =>
  new DomainError(`invalid_${field}`, 'validation', detail, { fields: [{ field, message: 'is invalid' }] });

export function beforeIdOf(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const before = Number(Buffer.from(cursor, 'base64url').toString());
  if (!Number.isSafeInteger(before)) throw invalid('cursor', 'The cursor is not valid.');
  return before;
}

/** `rows` was read with `limit + 1`: the extra row only says whether there is a next page. */
export function idPage<T extends { id: number }>(rows: T[], limit: number): { shown: T[]; next_cursor: string | null } {
  const shown = rows.slice(0, limit);
  const next_cursor = rows.length > limit ? Buffer.from(String(shown.at(-1)!.id)).toString('base64url') : null;
  return { shown, next_cursor };
}

/** A date or date-time the schema accepted; one PostgreSQL cannot hold (year 0, a leap second) is still a 400. */
export function instantOf(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  const year = at.getUTCFullYear();
  if (Number.isNaN(at.getTime()) || year < 1 || year > 9999) throw invalid(field, `${field} is not a valid date.`);
  return at;
}

/** `%text%` for ILIKE, with the pattern's own wildcards escaped. */
export const containsPattern = (text: string | undefined): string | null =>
  text === undefined ? null : `%${text.replace(/[\\%_]/g, '\\$&')}%`;
