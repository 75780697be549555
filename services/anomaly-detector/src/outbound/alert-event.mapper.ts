import type { AlertEvent } from '@tokentally/contracts';
import type { AlertDecision, BudgetCrossing } from '@tokentally/domain-anomaly';

/** A decision of the domain as the llm.alerts.v1 record (and the Postgres row). */
export function alertEventOf(decision: AlertDecision): AlertEvent {
  const { scope, decomposition: d } = decision;
  return {
    alert_id: decision.alert_id,
    kind: decision.kind,
    severity: decision.severity,
    scope: {
      team_id: scope.team,
      feature: scope.dimension === 'feature' ? scope.value : null,
      model: scope.dimension === 'model' ? scope.value : null,
      environment: scope.dimension === 'environment' ? scope.value : null,
      workflow: scope.dimension === 'workflow' ? scope.value : null,
      series: scope.key,
    },
    window_start: decision.window_start,
    window_end: decision.window_end,
    observed_nanos: d.observed_nanos,
    baseline_nanos: d.baseline_nanos,
    explanation: decision.explanation,
    drivers: d.drivers.map((driver) => ({
      dimension: driver.dimension,
      key: driver.key,
      delta_nanos: driver.nanos,
      share_bp: driver.share_bp,
      cause: driver.factor,
      template_version: driver.template ?? null,
    })),
    detected_at: decision.detected_at,
    status: decision.status,
    revision: decision.revision,
    primary_cause: d.primary?.factor ?? null,
    period: null,
    threshold_bp: null,
    budget_nanos: null,
    forecast_crossing_date: null,
  };
}

export function budgetAlertEventOf(crossing: BudgetCrossing, detectedAt: number): AlertEvent {
  const [year, month] = crossing.period.split('-').map(Number);
  return {
    alert_id: crossing.alert_id,
    kind: 'budget_crossing',
    severity: crossing.threshold_bp >= 10_000 ? 'critical' : 'warning',
    scope: {
      team_id: crossing.team,
      feature: crossing.feature ?? null,
      model: null,
      environment: null,
      workflow: null,
      series: crossing.feature ? `feature:${crossing.team}:${crossing.feature}` : `team:${crossing.team}`,
    },
    window_start: Date.UTC(year!, month! - 1, 1),
    window_end: Date.UTC(year!, month, 1),
    observed_nanos: crossing.spent_nanos,
    baseline_nanos: crossing.budget_nanos,
    explanation: crossing.explanation,
    drivers: [],
    detected_at: detectedAt,
    status: 'open',
    revision: 1,
    primary_cause: null,
    period: crossing.period,
    threshold_bp: crossing.threshold_bp,
    budget_nanos: crossing.budget_nanos,
    forecast_crossing_date: crossing.forecast_full_on ?? null,
  };
}
