import { z } from 'zod';
import {
  SERVICE_PORTS,
  databaseEnv,
  positiveInt,
  secret,
  serviceBaseEnv,
  serviceSchema,
} from '@tokentally/platform-config';

const chargebackFields = {
  CHARGEBACK_API_TOKENS: secret(
    z
      .string()
      .default('')
      .transform((value, ctx) =>
        value
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean)
          .map((entry, index) => {
            const [token = '', role = '', team] = entry.split(':');
            if (token.length < 16 || (role !== 'finance' && !(role === 'team' && team))) {
              // Names the entry by position only: any part of a token in an error message is a leak.
              ctx.addIssue({
                code: 'custom',
                message: `entry ${index + 1}: expected <token of 16+ chars>:finance or <token>:team:<team_id>`,
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
  ),
  STATEMENT_TOP_USERS: positiveInt(10, 'How many user_refs a statement lists per team (top N by cost)'),
  RECONCILE_MONTH_TOLERANCE_BP: positiveInt(10, 'Tolerance per provider account and month, basis points'),
  CONSOLE_CONSUMER_GROUPS: z
    .string()
    .default('tokentally-enricher,tokentally-pricer,tokentally-anomaly-detector')
    .transform((value) =>
      value
        .split(',')
        .map((group) => group.trim())
        .filter(Boolean),
    )
    .describe(
      'Consumer groups whose lag GET /v1/status and the console show; those on the raw and enriched topics also gate "ledger complete through"',
    ),
  CONSOLE_STATUS_REFRESH_MS: positiveInt(
    15000,
    'How often lag, ledger completeness and the open period spend per team (metrics) are refreshed',
  ),
};

/** The chargeback exporter's environment, validated at start-up and documented in the README (`npm run docs`). */
export const chargebackExporterEnv = serviceSchema({
  ...serviceBaseEnv(SERVICE_PORTS['chargeback-exporter']),
  ...databaseEnv,
  ...chargebackFields,
});
export type ChargebackExporterConfig = z.infer<typeof chargebackExporterEnv>;
