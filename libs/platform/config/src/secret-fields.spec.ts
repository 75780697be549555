import { z } from 'zod';
import { ConfigError, describeConfig, loadConfig } from './load-config';
import { deploymentEnv, httpEnv } from './env-fields';
import { MIN_SECRET_LENGTH, devSecret, isSecretField, secret, serviceSchema } from './secret-fields';

const schema = serviceSchema({
  ...deploymentEnv,
  API_KEY: secret(z.string().min(20).describe('an API key')),
  SIGNING_SECRET: devSecret('public-dev-value-for-tests', 'HMAC secret'),
  NAME: z.string().min(20).describe('not a secret'),
});

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig('svc', schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('configuration was accepted');
}

describe('secret fields', () => {
  it('never echo a rejected secret, while ordinary fields still show what they got', () => {
    const message = problemsOf({
      TOKENTALLY_ENV: 'prod',
      API_KEY: 'hunter2-secret',
      SIGNING_SECRET: 'short-s3cret',
      NAME: 'bob',
    });
    expect(message).not.toContain('hunter2-secret');
    expect(message).not.toContain('short-s3cret');
    expect(message).toMatch(/API_KEY: .*value not shown: secret/);
    expect(message).toMatch(/SIGNING_SECRET: must be at least 32 characters/);
    expect(message).toContain('NAME: Too small');
    expect(message).toContain('(got "bob")');
  });

  it('keep their mark through describe() and are listed as secret', () => {
    const rows = describeConfig(schema);
    expect(rows.filter((row) => row.secret).map((row) => row.name)).toEqual(['API_KEY', 'SIGNING_SECRET']);
    expect(isSecretField(schema.shape.NAME)).toBe(false);
    expect(rows.find((row) => row.name === 'SIGNING_SECRET')?.default).not.toContain('public-dev-value');
  });
});

describe('METRICS_TOKEN', () => {
  const schema = serviceSchema({ ...deploymentEnv, ...httpEnv(3101) });
  it.each([
    ['prod on 0.0.0.0 without a token', { TOKENTALLY_ENV: 'prod', HTTP_HOST: '0.0.0.0' }, false],
    [
      'prod on 0.0.0.0 with a token',
      { TOKENTALLY_ENV: 'prod', HTTP_HOST: '0.0.0.0', METRICS_TOKEN: 'm'.repeat(24) },
      true,
    ],
    ['prod on loopback without a token', { TOKENTALLY_ENV: 'prod', HTTP_HOST: '127.0.0.1' }, true],
    ['dev on 0.0.0.0 without a token', { TOKENTALLY_ENV: 'dev', HTTP_HOST: '0.0.0.0' }, true],
  ])('%s: starts %s', (_case, env, starts) => {
    expect(schema.safeParse(env).success).toBe(starts);
  });
});

describe('dev secrets outside dev/test', () => {
  const base = { API_KEY: 'k'.repeat(20), NAME: 'n'.repeat(20) };
  const real = 'r'.repeat(MIN_SECRET_LENGTH);

  it.each([
    [
      'unset in prod',
      { TOKENTALLY_ENV: 'prod' },
      /must be set to a secret of your own when TOKENTALLY_ENV=prod/,
    ],
    ['unset without TOKENTALLY_ENV (prod by default)', {}, /TOKENTALLY_ENV=prod/],
    [
      'the public dev value, set explicitly, in staging',
      { TOKENTALLY_ENV: 'staging', SIGNING_SECRET: 'public-dev-value-for-tests' },
      /built-in value is public/,
    ],
    [
      'too short in prod',
      { TOKENTALLY_ENV: 'prod', SIGNING_SECRET: 'x'.repeat(MIN_SECRET_LENGTH - 1) },
      /at least 32 characters/,
    ],
  ])('refuse to start: %s', (_case, env, expected) => {
    expect(problemsOf({ ...base, ...env })).toMatch(expected);
  });

  it('accept a real secret in prod, and the built-in value in dev and test', () => {
    expect(
      loadConfig('svc', schema, { ...base, TOKENTALLY_ENV: 'prod', SIGNING_SECRET: real }).SIGNING_SECRET,
    ).toBe(real);
    for (const environment of ['dev', 'test'])
      expect(loadConfig('svc', schema, { ...base, TOKENTALLY_ENV: environment }).SIGNING_SECRET).toBe(
        'public-dev-value-for-tests',
      );
  });
});
