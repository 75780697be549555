import type { Statement } from './statement';

/** JSON-safe copy: every BigInt becomes its exact decimal string. */
export function toJsonValue(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

const BIGINT_KEYS = new Set([
  'nanos',
  'requests',
  'retries',
  'calls',
  'uncached_input',
  'cache_read',
  'cache_write_5m',
  'cache_write_1h',
  'output',
  'reasoning',
]);

/** Reads a stored statement back (the inverse of toJsonValue for statements): money and counts as BigInt. */
export function statementFromJson(text: string): Statement {
  return JSON.parse(text, (key, value: unknown) =>
    typeof value === 'string' && /^-?\d+$/.test(value) && (key.endsWith('_nanos') || BIGINT_KEYS.has(key))
      ? BigInt(value)
      : value,
  ) as Statement;
}
