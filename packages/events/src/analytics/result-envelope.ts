import { Type, type TSchema } from 'typebox';

// The fields every analytics-results message carries (SPEC "Analytics"); each result type adds its own.

/** Revenue can be negative: refunds in a window may exceed what was paid in it. Two decimals. */
export const SignedMoney = Type.Number({
  minimum: -100_000_000,
  maximum: 100_000_000,
  description: 'two decimals; may be negative when refunds exceed payments in the window',
});

export const Count = Type.Integer({ minimum: 0, maximum: 1_000_000_000 });

const base = {
  window_start: Type.String({ format: 'date-time', description: 'ISO 8601 UTC, aligned to the epoch' }),
  window_end: Type.String({ format: 'date-time', description: 'ISO 8601 UTC, exclusive' }),
  // SPEC's messages carry no version: absent means 1, and a breaking change would be `result_version: 2`.
  result_version: Type.Optional(Type.Literal(1)),
};

/**
 * One result type at version 1. Consumers accept unknown extra fields (the job may add fields within a
 * version); removing or changing a field is a new version.
 */
export function resultSchema<T extends string, P extends Record<string, TSchema>>(type: T, extra: P) {
  return Type.Object({ result_type: Type.Literal(type), ...base, ...extra });
}
