import type { z } from 'zod';
import { devValueOf, isSecretField } from './secret-fields';

export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`${service}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment once at start-up against a service's schema. Every problem is reported
 * at once, named by its variable, so a misconfigured deployment fails fast with one actionable message
 * instead of a stack trace on first use. The offending value is quoted, except for secret fields:
 * an error message ends up in logs and CI output, a secret must not.
 */
export function loadConfig<S extends z.ZodObject>(
  service: string,
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path[0];
    const variable = issue.path.join('.') || '(environment)';
    const field = typeof name === 'string' ? (schema.shape[name] as z.ZodType | undefined) : undefined;
    if (field && isSecretField(field)) return `${variable}: ${issue.message} (value not shown: secret)`;
    const value = typeof name === 'string' ? env[name] : undefined;
    return `${variable}: ${issue.message}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}`;
  });
  throw new ConfigError(service, problems);
}

/** Lists the variables of a schema with their defaults and descriptions, for `--help` and the docs. */
export function describeConfig(
  schema: z.ZodObject,
): { name: string; default: string; description: string; secret: boolean }[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const type = field as z.ZodType;
    const parsed = type.safeParse(undefined);
    const secret = isSecretField(type);
    let fallback: string;
    if (devValueOf(type) !== undefined) fallback = '(dev/test: built-in; else required)';
    else if (!parsed.success) fallback = '(required)';
    else if (parsed.data === undefined) fallback = '(unset)';
    else fallback = formatDefault(parsed.data);
    return { name, default: fallback, description: type.description ?? '', secret };
  });
}

function formatDefault(value: unknown): string {
  if (Array.isArray(value)) return value.map(formatDefault).join(',');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}
