import { z } from 'zod';
import {
  SERVICE_PORTS,
  databaseEnv,
  positiveInt,
  secret,
  serviceBaseEnv,
  serviceSchema,
} from '@tokentally/platform-config';

/** The reconciler's environment, validated at start-up and documented in the README (`npm run docs`). */
export const reconcilerEnv = serviceSchema({
  ...serviceBaseEnv(SERVICE_PORTS.reconciler),
  ...databaseEnv,
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
  RECONCILE_UPLOAD_TOKENS: secret(
    z
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
  ),
});
export type ReconcilerConfig = z.infer<typeof reconcilerEnv>;
