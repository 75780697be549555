import { ALERT_KINDS } from './alert-lifecycle';
import { z } from 'zod';

/**
 * The JSON shapes of operator-view.ts as strict zod schemas: the finance API documents its responses
 * with them (OpenAPI), and the tests parse every view and response with them, so they cannot drift.
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
