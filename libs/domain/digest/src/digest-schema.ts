import { z } from 'zod';

/**
 * The JSON of a digest (bigints as strings, see toJsonValue) as a strict zod schema: the finance API
 * documents GET /v1/digest with it and the tests parse every digest with it.
 */
const nanos = z.string().meta({ description: 'integer nano-USD' });
const time = z.string().meta({ description: 'ISO 8601 UTC' });
const team = z.string();
const bp = z.string().meta({ description: 'basis points (integer, as a string)' });
const OpenAlert = z.strictObject({
  alert_id: z.string(),
  kind: z.string(),
  severity: z.string(),
  status: z.enum(['open', 'updated']),
  feature: z.string().nullable(),
  model: z.string().nullable(),
  workflow: z.string().nullable(),
  window_start: time,
  window_end: time,
  delta_nanos: nanos.meta({ description: 'observed - baseline of the latest revision' }),
  primary_cause: z.string().nullable(),
  explanation: z.string(),
  feedback: z.string().nullable().meta({ description: 'latest verdict, if any' }),
});
export const DigestSchema = z
  .strictObject({
    week: z.string().meta({ example: '2026-W47' }),
    from: time,
    to: time,
    previous_week: z.string(),
    totals: z.strictObject({ spend_nanos: nanos, previous_nanos: nanos, change_nanos: nanos }),
    teams: z.array(
      z.strictObject({
        team_id: team,
        name: z.string(),
        spend_nanos: nanos,
        previous_nanos: nanos,
        change_nanos: nanos,
        change_bp: bp.nullable().meta({ description: 'null when the previous week had no spend' }),
        calls: z.string(),
        previous_calls: z.string(),
        top_changes: z.array(
          z.strictObject({
            dimension: z.enum(['feature', 'model', 'workflow']),
            key: z.string(),
            spend_nanos: nanos,
            previous_nanos: nanos,
            change_nanos: nanos,
            volume_nanos: nanos.meta({ description: '(calls - previous calls) x previous cost per call' }),
            cost_per_call_nanos: nanos.meta({ description: 'change - volume: exactly the rest' }),
            explanation: z.string(),
            alerts: z.array(
              z.strictObject({ alert_id: z.string(), kind: z.string(), explanation: z.string() }),
            ),
          }),
        ),
        alert_drivers: z.array(z.strictObject({ cause: z.string(), delta_nanos: nanos })),
        open_alerts: z.array(OpenAlert),
        budgets: z.array(
          z.strictObject({
            source: z.enum(['team', 'feature', 'gateway']).meta({
              description:
                'team: org registry; feature: feature_budgets; gateway: budget_rules (+ overrides)',
            }),
            feature: z.string().nullable(),
            environment: z.string().nullable(),
            period: z.string(),
            budget_nanos: nanos,
            spent_nanos: nanos,
            used_bp: bp,
            projected_nanos: nanos.meta({ description: 'linear projection to the end of the month' }),
          }),
        ),
      }),
    ),
    unattributed: z
      .strictObject({
        spend_nanos: nanos,
        total_nanos: nanos,
        share_bp: bp,
        quarantined: z.array(z.strictObject({ reason: z.string(), events: z.string() })),
      })
      .nullable()
      .meta({ description: 'org-wide; null for a team token' }),
    actions: z.array(
      z.strictObject({
        rule: z.enum([
          'premium_model_short_outputs',
          'retries_above_normal',
          'budget_pace',
          'unreviewed_alerts',
          'unattributed_spend',
        ]),
        team_id: z.string().nullable(),
        feature: z.string().nullable(),
        model: z.string().nullable(),
        impact_nanos: nanos,
        message: z.string(),
      }),
    ),
  })
  .meta({ id: 'Digest' });
