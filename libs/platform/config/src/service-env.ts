import { z } from 'zod';
import { databaseEnv, httpEnv, kafkaEnv, positiveInt, redisEnv } from './env-fields';

const ENVIRONMENTS = ['prod', 'staging', 'dev', 'test'] as const;
type Enforcement = 'soft' | 'hard';

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

const enricherEnv = {
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
  PSEUDONYM_KEY_ID: z
    .string()
    .min(1)
    .default('dev')
    .describe('Id of the HMAC key for user/tenant refs (published with every ref)'),
  PSEUDONYM_SECRET: z
    .string()
    .min(16)
    .default('tokentally-dev-only-pseudonym-secret')
    .describe(
      'HMAC-SHA256 secret for user/tenant refs; set your own in production and rotate with PSEUDONYM_KEY_ID',
    ),
  INGEST_TOKENS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    )
    .describe(
      'Comma-separated bearer tokens accepted by the HTTP ingest endpoints (empty: ingest refuses all)',
    ),
  INGEST_MAX_EVENTS: positiveInt(5000, 'Most events in one HTTP ingest request'),
  INGEST_MAX_BODY_BYTES: positiveInt(10_485_760, 'Largest HTTP ingest body, in bytes (413 above)'),
  ORG_REFRESH_MS: positiveInt(5000, 'How often the org registry cache checks for a newly applied version'),
  DEDUP_TTL_SECONDS: positiveInt(
    7 * 86400,
    'How long an enriched event_id is remembered to drop redeliveries',
  ),
};

const pricerEnv = {
  RATES_REFRESH_MS: positiveInt(
    5000,
    'How often the pricer checks for a newly applied rate book (tally rates apply)',
  ),
};

const chargebackEnv = {
  CHARGEBACK_API_TOKENS: z
    .string()
    .default('')
    .transform((value, ctx) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean)
        .map((entry) => {
          const [token = '', role = '', team] = entry.split(':');
          if (token.length < 16 || (role !== 'finance' && !(role === 'team' && team))) {
            ctx.addIssue({
              code: 'custom',
              message: `"${entry.slice(0, 6)}...": expected <token of 16+ chars>:finance or <token>:team:<team_id>`,
            });
          }
          return {
            token,
            role: role === 'finance' ? ('finance' as const) : ('team' as const),
            team: team ?? null,
          };
        }),
    )
    .describe(
      'Finance API tokens, comma-separated: <token>:finance sees every team, <token>:team:<team_id> only that team (empty: the API refuses all)',
    ),
  STATEMENT_TOP_USERS: positiveInt(10, 'How many user_refs a statement lists per team (top N by cost)'),
};

const reconcilerEnv = {
  RECONCILE_INTERVAL_MS: positiveInt(
    3_600_000,
    'How often the reconciler re-runs the last RECONCILE_DAYS days by itself (provider exports restate)',
  ),
  RECONCILE_DAYS: positiveInt(3, 'How many UTC days before today each timed re-run covers'),
  RECONCILE_TOLERANCE_BP: positiveInt(
    100,
    'Tolerance per cell (provider x account x model x day x token type), basis points',
  ),
  RECONCILE_MONTH_TOLERANCE_BP: positiveInt(10, 'Tolerance per provider account and month, basis points'),
  RECONCILE_UPLOAD_TOKENS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    )
    .describe(
      'Comma-separated bearer tokens accepted by POST /v1/reconciliation/imports (empty: uploads refused)',
    ),
};

/**
 * The environment of every service, in one place: each service validates its own entry at start-up,
 * and the README's configuration table is generated from all of them (`npm run docs`).
 */
export const SERVICE_ENV = {
  enricher: z.object({ ...kafkaEnv, ...httpEnv(3101), ...databaseEnv, ...redisEnv, ...enricherEnv }),
  pricer: z.object({ ...kafkaEnv, ...httpEnv(3102), ...databaseEnv, ...pricerEnv }),
  'anomaly-detector': z.object({ ...kafkaEnv, ...httpEnv(3103), ...redisEnv }),
  reconciler: z.object({ ...kafkaEnv, ...httpEnv(3104), ...databaseEnv, ...reconcilerEnv }),
  'chargeback-exporter': z.object({ ...kafkaEnv, ...httpEnv(3105), ...databaseEnv, ...chargebackEnv }),
} as const;

export type ServiceName = keyof typeof SERVICE_ENV;
export const SERVICE_NAMES = Object.keys(SERVICE_ENV) as ServiceName[];

export function defaultHttpPort(service: ServiceName): number {
  return SERVICE_ENV[service].shape.HTTP_PORT.parse(undefined);
}
