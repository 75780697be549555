import { z } from 'zod';
import {
  SERVICE_PORTS,
  databaseEnv,
  positiveInt,
  redisEnv,
  secret,
  serviceBaseEnv,
  serviceSchema,
} from '@tokentally/platform-config';

/** Same bar as ingest tokens: out of guessing reach. */
export const BUDGET_TOKEN_MIN_LENGTH = 24;

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
  BUDGET_TOKENS: secret(
    z
      .string()
      .default('')
      .transform((value, ctx) =>
        value
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean)
          .filter((entry, index) => {
            // By position only: any part of a token in an error message is a leak.
            if (entry.length >= BUDGET_TOKEN_MIN_LENGTH) return true;
            ctx.addIssue({
              code: 'custom',
              message: `entry ${index + 1}: tokens need ${BUDGET_TOKEN_MIN_LENGTH}+ characters`,
            });
            return false;
          }),
      )
      .describe(
        `Bearer tokens gateways present to POST /v1/budget/check, comma-separated, each 24+ chars (empty: the route refuses all)`,
      ),
  ),
  BUDGET_FAIL_CLOSED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true')
    .describe('Hard budgets deny when Redis is unreachable (false: allow with an alert)'),
});
export type PricerConfig = z.infer<typeof pricerEnv>;
