import { z } from 'zod';
import type { Enforcement } from '@tokentally/contracts';
import { parseIngestTokenEntry } from '@tokentally/domain-enrichment';
import {
  ENVIRONMENTS,
  SERVICE_PORTS,
  databaseEnv,
  positiveInt,
  pseudonymEnv,
  refinePseudonymEnv,
  quarantineSealEnv,
  redisEnv,
  secret,
  serviceBaseEnv,
  serviceSchema,
} from '@tokentally/platform-config';

/** Shortest ingest token accepted: 24 chars (e.g. `openssl rand -hex 16` gives 32) is out of guessing reach. */
export const INGEST_TOKEN_MIN_LENGTH = 24;

/** `soft`, `hard`, or per environment: `prod=hard,staging=soft` (unlisted environments: soft). */
export function parseEnforcement(value: string): Record<(typeof ENVIRONMENTS)[number], Enforcement> {
  const plain = value.trim();
  if (plain === 'soft' || plain === 'hard') return { prod: plain, staging: plain, dev: plain, test: plain };
  const result: Record<string, Enforcement> = { prod: 'soft', staging: 'soft', dev: 'soft', test: 'soft' };
  for (const part of plain.split(',')) {
    const [env, mode] = part.split('=').map((x) => x.trim());
    if (!env || !(ENVIRONMENTS as readonly string[]).includes(env) || (mode !== 'soft' && mode !== 'hard')) {
      throw new Error(`"${part}" is not <environment>=soft|hard (environments: ${ENVIRONMENTS.join(', ')})`);
    }
    result[env] = mode;
  }
  return result;
}

const enricherFields = {
  OWNER_ENFORCEMENT: z
    .string()
    .default('soft')
    .transform((value, ctx) => {
      try {
        return parseEnforcement(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .describe(
      'Calls without a resolvable owner: soft (pass as "unattributed"), hard (quarantine MISSING_OWNER), or per environment, e.g. prod=hard,dev=soft',
    ),
  INGEST_TOKENS: secret(
    z
      .string()
      .default('')
      .transform((value, ctx) =>
        value
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean)
          .flatMap((entry, index) => {
            const parsed = parseIngestTokenEntry(entry, INGEST_TOKEN_MIN_LENGTH);
            if (parsed.ok) return [{ token: parsed.token, scope: parsed.scope }];
            // By position only: any part of a token in an error message is a leak.
            ctx.addIssue({ code: 'custom', message: `entry ${index + 1}: ${parsed.message}` });
            return [];
          }),
      )
      .describe(
        `Bearer tokens of HTTP ingest, comma-separated, each ${INGEST_TOKEN_MIN_LENGTH}+ chars: \`<token>\` books to any team, \`<token>:teams=<a>+<b>\` only to those, \`<token>:gateway=<id>\` only as that gateway (both may be combined); empty: ingest refuses all`,
      ),
  ),
  INGEST_AUTH_MAX_FAILURES: positiveInt(
    10,
    'Wrong or missing ingest tokens one client address may send per INGEST_AUTH_WINDOW_SECONDS before it gets 429',
  ),
  INGEST_AUTH_WINDOW_SECONDS: positiveInt(
    60,
    'Window of the failed-attempt throttle of HTTP ingest, in seconds',
  ),
  INGEST_MAX_EVENTS: positiveInt(5000, 'Most events in one HTTP ingest request'),
  INGEST_MAX_BODY_BYTES: positiveInt(10_485_760, 'Largest HTTP ingest body, in bytes (413 above)'),
  ORG_REFRESH_MS: positiveInt(5000, 'How often the org registry cache checks for a newly applied version'),
  DEDUP_TTL_SECONDS: positiveInt(
    7 * 86400,
    'How long an enriched event_id is remembered to drop redeliveries',
  ),
};

/** The enricher's environment, validated at start-up and documented in the README (`npm run docs`). */
export const enricherEnv = serviceSchema({
  ...serviceBaseEnv(SERVICE_PORTS.enricher),
  ...databaseEnv,
  ...redisEnv,
  ...pseudonymEnv,
  ...quarantineSealEnv,
  ...enricherFields,
}).superRefine((config, ctx) => {
  refinePseudonymEnv(config, ctx);
  // One secret for both would let whoever may read refs' key also open every quarantined original.
  if (config.QUARANTINE_SEAL_KEY === config.PSEUDONYM_SECRET)
    ctx.addIssue({
      code: 'custom',
      path: ['QUARANTINE_SEAL_KEY'],
      message: 'must differ from PSEUDONYM_SECRET (quarantine is sealed with a key of its own)',
    });
});
export type EnricherConfig = z.infer<typeof enricherEnv>;
