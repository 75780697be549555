import type { AlertFeedback, AlertRevision, StoredAlert } from './operator.ports';

/**
 * The JSON shapes of the operator surface (GET /v1/alerts, GET /v1/alerts/:id, `tally alerts --json`):
 * money as integer nano-USD strings, times as ISO 8601 UTC, never a float.
 */
const iso = (ms: number): string => new Date(ms).toISOString();
const nanos = (n: number): string => BigInt(n).toString();

export interface FeedbackView {
  verdict: string;
  reason: string;
  author: string | null;
  created_at: string;
}

export function feedbackView(f: AlertFeedback): FeedbackView {
  return { verdict: f.verdict, reason: f.reason, author: f.author, created_at: iso(f.created_at) };
}

export function alertSummaryView(a: StoredAlert) {
  const latest = a.feedback[a.feedback.length - 1];
  return {
    alert_id: a.alert_id,
    revision: a.revision,
    status: a.status,
    kind: a.kind,
    severity: a.severity,
    team_id: a.scope.team_id,
    scope: {
      series: a.scope.series,
      feature: a.scope.feature,
      model: a.scope.model,
      workflow: a.scope.workflow,
      environment: a.scope.environment,
    },
    window_start: iso(a.window_start),
    window_end: iso(a.window_end),
    detected_at: iso(a.detected_at),
    observed_nanos: nanos(a.observed_nanos),
    baseline_nanos: nanos(a.baseline_nanos),
    delta_nanos: (BigInt(a.observed_nanos) - BigInt(a.baseline_nanos)).toString(),
    primary_cause: a.primary_cause,
    explanation: a.explanation,
    budget:
      a.kind === 'budget_crossing'
        ? {
            period: a.period,
            threshold_bp: a.threshold_bp,
            budget_nanos: a.budget_nanos === null ? null : nanos(a.budget_nanos),
            forecast_crossing_date: a.forecast_crossing_date,
          }
        : null,
    latest_feedback: latest ? feedbackView(latest) : null,
  };
}
export type AlertSummaryView = ReturnType<typeof alertSummaryView>;

/** One alert with its explanation: every driver (nanos and share), every revision, every feedback. */
export function alertDetailView(a: StoredAlert, revisions: readonly AlertRevision[]) {
  return {
    ...alertSummaryView(a),
    drivers: a.drivers.map((d) => ({
      cause: d.cause,
      dimension: d.dimension,
      key: d.key,
      delta_nanos: nanos(d.delta_nanos),
      share_bp: d.share_bp,
      template_version: d.template_version,
    })),
    revisions: revisions.map((r) => ({
      revision: r.revision,
      status: r.status,
      kind: r.kind,
      detected_at: iso(r.detected_at),
      observed_nanos: nanos(r.observed_nanos),
      baseline_nanos: nanos(r.baseline_nanos),
    })),
    feedback: a.feedback.map(feedbackView),
    published: a.published_at !== null,
  };
}
export type AlertDetailView = ReturnType<typeof alertDetailView>;
