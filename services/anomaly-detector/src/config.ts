import { z } from 'zod';
import {
  SERVICE_PORTS,
  databaseEnv,
  positiveInt,
  redisEnv,
  serviceBaseEnv,
  secret,
  serviceSchema,
} from '@tokentally/platform-config';
import { parseWebhookTargets, type WebhookTarget } from '@tokentally/domain-anomaly';

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
  ANOMALY_NOISE_Z_LONG: z.coerce
    .number()
    .positive()
    .default(5)
    .describe('ANOMALY_NOISE_Z of the spend test on windows longer than 15 minutes'),
  ANOMALY_DROP_RATIO: z.coerce
    .number()
    .positive()
    .max(1)
    .default(0.5)
    .describe('A drop (info): spend over a drop window at most this fraction of its baseline'),
  ANOMALY_WINDOWS_MINUTES: intList('5,60', 'Spend-test windows evaluated at every closed minute, in minutes'),
  ANOMALY_INTENSITY_WINDOWS_MINUTES: intList(
    '2,5,15',
    'Intensity-test windows (cost per request, cell by cell, vs the same hour of past weeks), in minutes',
  ),
  ANOMALY_DROP_WINDOWS_MINUTES: intList(
    '15,60',
    'Windows a drop is judged over at every closed minute, in minutes',
  ),
  ANOMALY_UNIT_COST_CV_FLOOR: z.coerce
    .number()
    .positive()
    .default(0.25)
    .describe('Least per-call spread of a cell cost the intensity test assumes (fraction of its usual cost)'),
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
  ANOMALY_PARTITION_IDLE_MS: nonNegativeInt(
    2000,
    'A partition that reached its high watermark stops holding event time after this long (wall clock) without a new batch',
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
  ALERT_WEBHOOK_URLS: secret(
    z
      .string()
      .default('')
      .transform((value, ctx): WebhookTarget[] => {
        try {
          return parseWebhookTargets(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      })
      .describe(
        'Webhooks every alert is posted to, comma-separated; `slack:<url>` (or a hooks.slack.com URL) gets a Slack message {text, blocks}, others (`json:<url>` or a bare URL) the alert as JSON',
      ),
  ),
  ALERT_WEBHOOK_POLL_MS: positiveInt(1000, 'How often the webhook outbox is read for new and due deliveries'),
  ALERT_WEBHOOK_TIMEOUT_MS: positiveInt(
    5000,
    'How long one webhook POST may take before it counts as failed',
  ),
  ALERT_WEBHOOK_RETRY_INITIAL_MS: positiveInt(
    1000,
    'First delay after a failed webhook delivery; doubled on every further failure ...',
  ),
  ALERT_WEBHOOK_RETRY_MAX_MS: positiveInt(
    300_000,
    '... up to this delay (retries never stop: an alert is never dropped)',
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
