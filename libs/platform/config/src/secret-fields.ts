import { z } from 'zod';
import type { DeploymentEnvironment } from './env-fields';

/**
 * Secret env fields. A field marked secret is never echoed: configuration errors name it and say
 * what is wrong, not what was given. A field with a dev value runs dev/test out of the box, while any
 * other environment refuses to start until it is set to a real secret of at least `minLength` chars.
 */
interface SecretMeta {
  secret?: true;
  devValue?: string;
  minLength?: number;
}

function metaOf(field: z.ZodType): SecretMeta {
  return (z.globalRegistry.get(field) ?? {}) as SecretMeta;
}

/** Marks a field secret (apply last: zod's describe() and default() return new schemas). */
export function secret<T extends z.ZodType>(field: T): T {
  return field.meta({ ...z.globalRegistry.get(field), secret: true });
}

export function isSecretField(field: z.ZodType): boolean {
  return metaOf(field).secret === true;
}

/** The minimum length of a real secret outside dev/test: 32 chars, e.g. `openssl rand -hex 32` gives 64. */
export const MIN_SECRET_LENGTH = 32;

/**
 * A secret that dev and test may leave unset (they get the public `devValue`); prod and staging must
 * set one of their own (see `refuseDevSecrets`).
 */
export function devSecret(devValue: string, description: string, minLength = MIN_SECRET_LENGTH) {
  const field = z.string().min(1).default(devValue).describe(description);
  return field.meta({ ...z.globalRegistry.get(field), secret: true, devValue, minLength });
}

/** The dev value of a field, for the docs ("required outside dev/test") and for tests. */
export function devValueOf(field: z.ZodType): string | undefined {
  return metaOf(field).devValue;
}

/** Addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function isDevelopment(environment: DeploymentEnvironment): boolean {
  return environment === 'dev' || environment === 'test';
}

/**
 * A service schema: the fields plus the rule that outside dev/test no secret keeps its public dev
 * value or is shorter than its minimum. Returned as a ZodObject so `.shape` still lists the fields.
 */
export function serviceSchema<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object(shape).superRefine(
    (config: Record<string, unknown>, ctx) => {
      const environment = config['TOKENTALLY_ENV'] as DeploymentEnvironment | undefined;
      if (environment === undefined || isDevelopment(environment)) return;
      const host = config['HTTP_HOST'];
      if (
        typeof host === 'string' &&
        !isLoopback(host) &&
        'METRICS_TOKEN' in shape &&
        !config['METRICS_TOKEN']
      )
        ctx.addIssue({
          code: 'custom',
          path: ['METRICS_TOKEN'],
          message: `must be set when HTTP_HOST=${host} and TOKENTALLY_ENV=${environment}: /metrics shows every team's volumes and spend`,
        });
      for (const [name, field] of Object.entries(shape)) {
        const { devValue, minLength = 0 } = metaOf(field as z.ZodType);
        const value = config[name];
        if (devValue === undefined || typeof value !== 'string') continue;
        if (value === devValue)
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `must be set to a secret of your own when TOKENTALLY_ENV=${environment} (the built-in value is public, for dev/test only)`,
          });
        else if (value.length < minLength)
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `must be at least ${minLength} characters when TOKENTALLY_ENV=${environment} (e.g. openssl rand -hex 32)`,
          });
      }
      // Run even when other fields are wrong: every problem is reported at once.
    },
    { when: () => true },
  );
}
