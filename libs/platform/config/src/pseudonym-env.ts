import { z } from 'zod';
import { MIN_SECRET_LENGTH, devSecret, secret } from './secret-fields';

/**
 * The HMAC keys of user/tenant refs, shared by the enricher (makes refs with the current key) and
 * the CLI (matches refs against an id under both keys while a rotation is under way).
 */
export const pseudonymEnv = {
  PSEUDONYM_KEY_ID: z
    .string()
    .min(1)
    .default('dev')
    .describe('Id of the current HMAC key for user/tenant refs (published with every ref: `<id>:<hmac>`)'),
  PSEUDONYM_SECRET: devSecret(
    'tokentally-dev-only-pseudonym-secret',
    'HMAC-SHA256 secret of the current key; new refs are made with it',
  ),
  PSEUDONYM_PREVIOUS_KEY_ID: z
    .string()
    .min(1)
    .optional()
    .describe('During a rotation: id of the previous key, whose refs are still recognised when matched'),
  PSEUDONYM_PREVIOUS_SECRET: secret(
    z
      .string()
      .min(MIN_SECRET_LENGTH)
      .optional()
      .describe('During a rotation: secret of the previous key (set with PSEUDONYM_PREVIOUS_KEY_ID)'),
  ),
};

interface PseudonymConfig {
  PSEUDONYM_KEY_ID: string;
  PSEUDONYM_SECRET: string;
  PSEUDONYM_PREVIOUS_KEY_ID?: string | undefined;
  PSEUDONYM_PREVIOUS_SECRET?: string | undefined;
}

/** A previous key comes whole (id and secret), under an id and a secret other than the current ones. */
export function refinePseudonymEnv(config: PseudonymConfig, ctx: z.RefinementCtx): void {
  const { PSEUDONYM_PREVIOUS_KEY_ID: previousId, PSEUDONYM_PREVIOUS_SECRET: previousSecret } = config;
  if ((previousId === undefined) !== (previousSecret === undefined))
    ctx.addIssue({
      code: 'custom',
      path: [previousId === undefined ? 'PSEUDONYM_PREVIOUS_KEY_ID' : 'PSEUDONYM_PREVIOUS_SECRET'],
      message: 'a previous key needs both PSEUDONYM_PREVIOUS_KEY_ID and PSEUDONYM_PREVIOUS_SECRET',
    });
  if (previousId !== undefined && previousId === config.PSEUDONYM_KEY_ID)
    ctx.addIssue({
      code: 'custom',
      path: ['PSEUDONYM_PREVIOUS_KEY_ID'],
      message: 'must differ from PSEUDONYM_KEY_ID (the key id is what tells the refs of two keys apart)',
    });
  if (previousSecret !== undefined && previousSecret === config.PSEUDONYM_SECRET)
    ctx.addIssue({
      code: 'custom',
      path: ['PSEUDONYM_PREVIOUS_SECRET'],
      message: 'must differ from PSEUDONYM_SECRET (a rotation changes the secret)',
    });
}

/** The keyring of a validated config: current key, and the previous one during a rotation. */
export function pseudonymKeyringOf(config: PseudonymConfig): {
  current: { id: string; secret: string };
  previous?: { id: string; secret: string };
} {
  const current = { id: config.PSEUDONYM_KEY_ID, secret: config.PSEUDONYM_SECRET };
  return config.PSEUDONYM_PREVIOUS_KEY_ID && config.PSEUDONYM_PREVIOUS_SECRET
    ? {
        current,
        previous: { id: config.PSEUDONYM_PREVIOUS_KEY_ID, secret: config.PSEUDONYM_PREVIOUS_SECRET },
      }
    : { current };
}
