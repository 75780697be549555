import { z } from 'zod';
import {
  SERVICE_PORTS,
  databaseEnv,
  positiveInt,
  redisEnv,
  serviceBaseEnv,
  serviceSchema,
} from '@tokentally/platform-config';

/** The pricer's environment, validated at start-up and documented in the README (`npm run docs`). */
export const pricerEnv = serviceSchema({
  ...serviceBaseEnv(SERVICE_PORTS.pricer),
  ...databaseEnv,
  ...redisEnv,
  RATES_REFRESH_MS: positiveInt(
    5000,
    'How often the pricer checks for a newly applied rate book (tally rates apply)',
  ),
  BUDGET_POLICY_REFRESH_MS: positiveInt(
    5000,
    'How often the pricer reloads budgets, request caps and overrides for POST /v1/budget/check',
  ),
  BUDGET_REFRESH_MS: positiveInt(
    2000,
    "How often budget counters are re-read from the ledger's month-to-date rollups",
  ),
  BUDGET_RESERVATION_TTL_MS: positiveInt(
    600_000,
    'How long a budget reservation waits for its priced call before it frees its room',
  ),
  BUDGET_FAIL_CLOSED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true')
    .describe('Hard budgets deny when Redis is unreachable (false: allow with an alert)'),
});
export type PricerConfig = z.infer<typeof pricerEnv>;
