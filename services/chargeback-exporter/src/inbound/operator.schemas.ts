import { ALERT_KINDS } from '@tokentally/domain-anomaly';
import { z } from 'zod';

/**
 * Response shapes of the operator routes, for API clients (the console) and the OpenAPI document.
 * Strict objects: the integration suite parses every response with them, so they cannot drift.
 */
const nanos = z.string().meta({ description: 'integer nano-USD' });
const time = z.string().meta({ description: 'ISO 8601 UTC' });
const FeedbackView = z.strictObject({
  verdict: z.string(),
  reason: z.string(),
  author: z.string().nullable(),
  created_at: time,
});
export const AlertSummarySchema = z
  .strictObject({
    alert_id: z.string(),
    revision: z.number().int(),
    status: z.enum(['open', 'updated', 'resolved']),
    kind: z.enum(ALERT_KINDS),
    severity: z.enum(['info', 'warning', 'critical']),
    team_id: z.string(),
    scope: z.strictObject({
      series: z.string().nullable(),
      feature: z.string().nullable(),
      model: z.string().nullable(),
      workflow: z.string().nullable(),
      environment: z.string().nullable(),
    }),
    window_start: time,
    window_end: time,
    detected_at: time.meta({ description: 'event time of the decision (end of the evaluated minute)' }),
    observed_nanos: nanos,
    baseline_nanos: nanos,
    delta_nanos: nanos.meta({ description: 'observed - baseline; the drivers sum to it exactly' }),
    primary_cause: z.string().nullable(),
    explanation: z.string().meta({ description: 'the sentence a finance reader gets' }),
    budget: z
      .object({
        period: z.string().nullable(),
        threshold_bp: z.number().int().nullable(),
        budget_nanos: nanos.nullable(),
        forecast_crossing_date: z.string().nullable(),
      })
      .nullable(),
    latest_feedback: FeedbackView.nullable(),
  })
  .meta({ id: 'AlertSummary' });
export const AlertDetailSchema = AlertSummarySchema.extend({
  drivers: z.array(
    z.strictObject({
      cause: z.string(),
      dimension: z.string(),
      key: z.string(),
      delta_nanos: nanos,
      share_bp: z.number().int().meta({ description: 'share of delta_nanos in basis points' }),
      template_version: z.string().nullable(),
    }),
  ),
  revisions: z.array(
    z.strictObject({
      revision: z.number().int(),
      status: z.string(),
      kind: z.string(),
      detected_at: time,
      observed_nanos: nanos,
      baseline_nanos: nanos,
    }),
  ),
  feedback: z.array(FeedbackView),
  published: z.boolean().meta({ description: 'sent on llm.alerts.v1' }),
}).meta({ id: 'AlertDetail' });
export const FeedbackResponse = z
  .strictObject({
    alert_id: z.string(),
    feedback: FeedbackView,
    suppressed_until: time.meta({
      description: "event time until which the detector does not page again for this alert's scope",
    }),
  })
  .meta({ id: 'AlertFeedback' });

const team = z.string();
const bp = z.string().meta({ description: 'basis points (integer, as a string)' });
const DigestAlert = z.strictObject({
  alert_id: z.string(),
  kind: z.string(),
  severity: z.string(),
  status: z.enum(['open', 'updated', 'resolved']),
  team_id: team,
  feature: z.string().nullable(),
  model: z.string().nullable(),
  workflow: z.string().nullable(),
  window_start: z.number().int().meta({ description: 'epoch ms (event time)' }),
  window_end: z.number().int(),
  observed_nanos: nanos,
  baseline_nanos: nanos,
  primary_cause: z.string().nullable(),
  explanation: z.string(),
  drivers: z.array(
    z.strictObject({
      cause: z.string(),
      dimension: z.string(),
      key: z.string(),
      delta_nanos: nanos,
      share_bp: z.number().int(),
    }),
  ),
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
        open_alerts: z.array(DigestAlert),
        budgets: z.array(
          z.strictObject({
            feature: z.string().nullable(),
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
