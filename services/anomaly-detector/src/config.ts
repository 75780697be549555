import { z } from 'zod';
import {
  SERVICE_PORTS,
  databaseEnv,
  positiveInt,
  redisEnv,
  serviceBaseEnv,
  serviceSchema,
} from '@tokentally/platform-config';

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
    "A silent team is closed up to the detector's clock (its slowest partition with records waiting) minus this (a total outage still shows as a drop; 0: never)",
  ),
  ANOMALY_RESOLVE_AFTER_MINUTES: positiveInt(15, 'Quiet minutes before an open incident is resolved'),
  ANOMALY_REDIS_PREFIX: z
    .string()
    .min(1)
    .default('tokentally:anomaly')
    .describe("Prefix of the detector's windows and baselines in Redis"),
  BUDGET_ALERT_THRESHOLDS_BP: intList(
    '8000,10000',
    'Budget alert thresholds of team budgets, in basis points (8000 = 80%)',
  ),
  BUDGET_ALERT_CHECK_MS: positiveInt(
    2000,
    'How often, at most, month-to-date spend is compared with the budgets',
  ),
};

/** The anomaly detector's environment, validated at start-up and documented in the README (`npm run docs`). */
export const anomalyDetectorEnv = serviceSchema({
  ...serviceBaseEnv(SERVICE_PORTS['anomaly-detector']),
  ...databaseEnv,
  ...redisEnv,
  ...anomalyEnv,
});
export type AnomalyDetectorConfig = z.infer<typeof anomalyDetectorEnv>;
