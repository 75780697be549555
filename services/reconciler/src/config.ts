import { z } from 'zod';
import {
  SERVICE_PORTS,
  databaseEnv,
  positiveInt,
  secret,
  url,
  serviceBaseEnv,
  serviceSchema,
} from '@tokentally/platform-config';

/**
 * The providers' admin APIs (cost and usage reports), read by POST /v1/reconciliation/fetches and
 * `tally reconcile fetch`. The keys are admin keys: secrets, never echoed.
 */
export const providerFetchEnv = {
  OPENAI_ADMIN_KEY: secret(
    z
      .string()
      .min(1)
      .optional()
      .describe('OpenAI admin key for the Costs and Usage APIs (unset: no OpenAI fetch)'),
  ),
  OPENAI_ADMIN_BASE_URL: url(
    'https://api.openai.com',
    'Base URL of the OpenAI admin API (a path prefix is kept)',
  ),
  ANTHROPIC_ADMIN_KEY: secret(
    z
      .string()
      .min(1)
      .optional()
      .describe('Anthropic admin key for cost_report and usage_report (unset: no Anthropic fetch)'),
  ),
  ANTHROPIC_ADMIN_BASE_URL: url('https://api.anthropic.com', 'Base URL of the Anthropic admin API'),
};

/** The reconciler's environment, validated at start-up and documented in the README (`npm run docs`). */
export const reconcilerEnv = serviceSchema({
  ...serviceBaseEnv(SERVICE_PORTS.reconciler),
  ...databaseEnv,
  ...providerFetchEnv,
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

/** The admin API settings of a provider from the environment; an error naming the variable when its key is unset. */
export function adminApiOf(
  config: {
    OPENAI_ADMIN_KEY?: string | undefined;
    OPENAI_ADMIN_BASE_URL: string;
    ANTHROPIC_ADMIN_KEY?: string | undefined;
    ANTHROPIC_ADMIN_BASE_URL: string;
  },
  provider: 'openai' | 'anthropic',
): { baseUrl: string; adminKey: string } {
  const [key, baseUrl] =
    provider === 'openai'
      ? [config.OPENAI_ADMIN_KEY, config.OPENAI_ADMIN_BASE_URL]
      : [config.ANTHROPIC_ADMIN_KEY, config.ANTHROPIC_ADMIN_BASE_URL];
  if (!key) throw new Error(`${provider === 'openai' ? 'OPENAI' : 'ANTHROPIC'}_ADMIN_KEY is not set`);
  return { baseUrl, adminKey: key };
}
