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

// ---- anomaly-detector (issue 10): detection, baselines, budgets. One block, so it moves as a unit
// into services/anomaly-detector/src/config.ts.
const nonNegativeInt = (fallback: number, description: string) =>
  z.coerce.number().int().min(0).default(fallback).describe(description);
const intList = (fallback: string, description: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const list = value
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
        .map(Number);
      if (list.length === 0 || !list.every((n) => Number.isInteger(n) && n > 0)) {
        ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of positive integers' });
        return z.NEVER;
      }
      return list;
    })
    .describe(description);
const anomalyEnv = {
  ANOMALY_SPIKE_RATIO: z.coerce
    .number()
    .min(1)
    .default(1.5)
    .describe('A spike: spend in a window at least this many times its seasonal baseline ...'),
  ANOMALY_MIN_IMPACT_USD_PER_HOUR: z
    .string()
    .regex(/^\d+(\.\d{1,9})?$/, 'must be a decimal amount in USD')
    .default('20')
    .describe('... and an excess of at least this many USD per hour (nobody is paged for cents)'),
  ANOMALY_NOISE_Z: z.coerce
    .number()
    .positive()
    .default(4)
    .describe('... and an excess of at least this many times the window noise (calls and weekly spread)'),
  ANOMALY_DROP_RATIO: z.coerce
    .number()
    .positive()
    .max(1)
    .default(0.5)
    .describe('A drop (info): spend over the hour at most this fraction of its baseline'),
  ANOMALY_WINDOWS_MINUTES: intList('5,60', 'Sliding windows evaluated at every closed minute, in minutes'),
  ANOMALY_BASELINE_WEEKS: positiveInt(4, 'Weeks of history a seasonal baseline looks back on'),
  ANOMALY_MIN_WEEKS: positiveInt(2, 'Fewest weeks of history before a series is judged at all'),
  ANOMALY_LATENESS_MS: nonNegativeInt(
    60_000,
    'How late (event time) a call may arrive and still count in its minute',
  ),
  ANOMALY_IDLE_CLOSE_MS: nonNegativeInt(
    600_000,
    "A silent team is closed up to the busiest team's clock minus this (a total outage still shows as a drop; 0: never)",
  ),
  ANOMALY_PARTITION_IDLE_MS: nonNegativeInt(
    600_000,
    "A team's clock is its slowest partition, unless that partition is this far (event time) behind the team's latest call",
  ),
  ANOMALY_RESOLVE_AFTER_MINUTES: positiveInt(15, 'Quiet minutes before an open incident is resolved'),
  ANOMALY_REDIS_PREFIX: z
    .string()
    .min(1)
    .default('tokentally:anomaly')
    .describe("Prefix of the detector's windows and baselines in Redis"),
  BUDGET_THRESHOLDS_BP: intList(
    '8000,10000',
    'Budget alert thresholds of team budgets, in basis points (8000 = 80%)',
  ),
  BUDGET_CHECK_MS: positiveInt(2000, 'How often, at most, month-to-date spend is compared with the budgets'),
};
// ---- end anomaly-detector

/**
 * The environment of every service, in one place: each service validates its own entry at start-up,
 * and the README's configuration table is generated from all of them (`npm run docs`).
 */
export const SERVICE_ENV = {
  enricher: z.object({ ...kafkaEnv, ...httpEnv(3101), ...databaseEnv, ...redisEnv, ...enricherEnv }),
  pricer: z.object({ ...kafkaEnv, ...httpEnv(3102), ...databaseEnv, ...pricerEnv }),
  'anomaly-detector': z.object({
    ...kafkaEnv,
    ...httpEnv(3103),
    ...databaseEnv,
    ...redisEnv,
    ...anomalyEnv,
  }),
  reconciler: z.object({ ...kafkaEnv, ...httpEnv(3104), ...databaseEnv }),
  'chargeback-exporter': z.object({ ...kafkaEnv, ...httpEnv(3105), ...databaseEnv, ...chargebackEnv }),
} as const;

export type ServiceName = keyof typeof SERVICE_ENV;
export const SERVICE_NAMES = Object.keys(SERVICE_ENV) as ServiceName[];

export function defaultHttpPort(service: ServiceName): number {
  return SERVICE_ENV[service].shape.HTTP_PORT.parse(undefined);
}
