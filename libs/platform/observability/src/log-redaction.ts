/**
 * What a log line must never carry: values of secret-named fields at any depth, credentials inside
 * URLs, and bearer tokens or `token=...` pairs inside free text. Applied to every line before it is
 * written (logs are an export like any other; a secret in a log is a leaked secret).
 */
export const REDACTED = '[redacted]';

/** Field names that hold secrets. Plural `*_tokens` are counts (input_tokens), so only env-style lists. */
const SECRET_KEY =
  /(authorization|cookie|passw(or)?d|secret|api[_-]?key|credential|private[_-]?key|signature|(^|[_-])token$)/i;
const SECRET_ENV_KEY = /^[A-Z0-9_]*_TOKENS$/;

const IN_TEXT: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/\b(token|secret|password|passwd|api[_-]?key|access_token)=[^\s&"',;]+/gi, `$1=${REDACTED}`],
  [/\b(sk|pk|rk)-(live|test|proj|ant)?-?[A-Za-z0-9_-]{12,}/g, REDACTED],
  [/\b(ghp|gho|ghs|github_pat|xox[abp])_[A-Za-z0-9_]{12,}/g, REDACTED],
  [/(\w+:\/\/[^:/\s@]+):[^@\s/]+@/g, `$1:${REDACTED}@`],
];

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) || SECRET_ENV_KEY.test(key);
}

export function redactText(text: string): string {
  return IN_TEXT.reduce((value, [pattern, replacement]) => value.replace(pattern, replacement), text);
}

/**
 * A copy of a log object safe to write: secret fields censored, strings scrubbed, bigints as exact
 * decimal strings (nano-USD exceed 2^53), errors as name and message, cycles and depth bounded.
 */
export function redactFields(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  if (seen.has(value) || depth > 8) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactFields(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value))
    out[key] =
      isSecretKey(key) && field !== undefined && field !== null
        ? REDACTED
        : redactFields(field, depth + 1, seen);
  return out;
}
