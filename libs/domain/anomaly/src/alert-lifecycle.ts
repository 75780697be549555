import { createHash } from 'node:crypto';
import type { Decomposition, Factor } from './decomposition';
import type { SeriesScope } from './series';

export const ALERT_KINDS = [
  'traffic_spike',
  'prompt_growth',
  'model_mix_shift',
  'retry_storm',
  'price_change',
  'new_feature',
  'spend_drop',
  'budget_crossing',
  // raised by the reconciler, and the enum default an older reader sees for a newer symbol
  'reconciliation_difference',
  'other',
] as const;
export type AlertKindName = (typeof ALERT_KINDS)[number];
export type AlertStatus = 'open' | 'updated' | 'resolved';
export type Direction = 'up' | 'down';
export type FeedbackVerdict = 'expected' | 'planned' | 'not_an_issue';
export const FEEDBACK_VERDICTS: readonly FeedbackVerdict[] = ['expected', 'planned', 'not_an_issue'];

export interface AlertDecision {
  alert_id: string;
  revision: number;
  status: AlertStatus;
  kind: AlertKindName;
  severity: 'info' | 'warning' | 'critical';
  scope: SeriesScope;
  window_start: number;
  window_end: number;
  decomposition: Decomposition;
  explanation: string;
  /** Event time at which the detector decided (end of the evaluated minute): a replay decides the same. */
  detected_at: number;
}

/** What one evaluation of a series found, before the lifecycle decides whether to say so. */
export interface Finding {
  scope: SeriesScope;
  direction: Direction;
  window_start: number;
  window_end: number;
  decomposition: Decomposition;
  explanation: string;
  excessPerHour: number;
}

export interface Incident {
  alert_id: string;
  series: string;
  direction: Direction;
  kind: AlertKindName;
  opened_window_start: number;
  revision: number;
  last_delta: number;
  quiet_minutes: number;
  muted: boolean;
  last: AlertDecision;
}

export function kindOf(direction: Direction, primary: Factor | undefined): AlertKindName {
  if (direction === 'down') return 'spend_drop';
  switch (primary) {
    case undefined:
    case 'traffic':
      return 'traffic_spike';
    case 'prompt_size':
    case 'output_size':
      return 'prompt_growth';
    case 'model_mix':
      return 'model_mix_shift';
    case 'price':
      return 'price_change';
    case 'retries':
      return 'retry_storm';
    case 'new_entity':
      return 'new_feature';
  }
}

/** Idempotent id: the same scope, direction and first window always give the same alert. */
export function alertIdOf(seriesKey: string, direction: Direction, windowStart: number): string {
  const digest = createHash('sha256')
    .update(`${seriesKey}\u0000${direction}\u0000${windowStart}`)
    .digest('hex');
  return `al_${digest.slice(0, 24)}`;
}

export interface LifecycleParams {
  /** Quiet evaluations (one per closed minute) before an open incident is resolved. */
  resolveAfterMinutes: number;
  /** Relative growth of the excess that makes an open incident worth an update. */
  updateGrowth: number;
  /** Excess per hour above which a spike is critical rather than a warning. */
  criticalPerHourNanos: number;
}

/**
 * One minute of one series' incident: opens on the first finding, updates (same alert_id, next
 * revision) when the excess grew or the cause changed, resolves after a quiet spell. A muted incident
 * (feedback given) changes state silently. Returns the new incident and the alert to send, if any.
 */
export function stepIncident(
  incident: Incident | undefined,
  finding: Finding | undefined,
  at: number,
  params: LifecycleParams,
): { incident: Incident | undefined; emit?: AlertDecision } {
  if (!finding) {
    if (!incident) return { incident };
    const quiet = incident.quiet_minutes + 1;
    if (quiet < params.resolveAfterMinutes) return { incident: { ...incident, quiet_minutes: quiet } };
    const resolved: AlertDecision = {
      ...incident.last,
      revision: incident.revision + 1,
      status: 'resolved',
      detected_at: at,
    };
    return incident.muted ? { incident: undefined } : { incident: undefined, emit: resolved };
  }
  const kind = kindOf(finding.direction, finding.decomposition.primary?.factor);
  const severity =
    finding.direction === 'down'
      ? 'info'
      : finding.excessPerHour >= params.criticalPerHourNanos
        ? 'critical'
        : 'warning';
  const decision = (
    alert_id: string,
    revision: number,
    status: AlertStatus,
    windowStart: number,
  ): AlertDecision => ({
    alert_id,
    revision,
    status,
    kind,
    severity,
    scope: finding.scope,
    window_start: windowStart,
    window_end: finding.window_end,
    decomposition: finding.decomposition,
    explanation: finding.explanation,
    detected_at: at,
  });
  const delta = Math.abs(finding.decomposition.delta_nanos);
  if (!incident) {
    const alert_id = alertIdOf(finding.scope.key, finding.direction, finding.window_start);
    const emit = decision(alert_id, 1, 'open', finding.window_start);
    return {
      incident: {
        alert_id,
        series: finding.scope.key,
        direction: finding.direction,
        kind,
        opened_window_start: finding.window_start,
        revision: 1,
        last_delta: delta,
        quiet_minutes: 0,
        muted: false,
        last: emit,
      },
      emit,
    };
  }
  const grew = delta >= incident.last_delta * (1 + params.updateGrowth);
  const changed = kind !== incident.kind;
  if (!grew && !changed) return { incident: { ...incident, quiet_minutes: 0 } };
  const emit = decision(incident.alert_id, incident.revision + 1, 'updated', incident.opened_window_start);
  const next: Incident = {
    ...incident,
    kind,
    revision: emit.revision,
    last_delta: delta,
    quiet_minutes: 0,
    last: emit,
  };
  return incident.muted ? { incident: next } : { incident: next, emit };
}

/** How long feedback keeps a scope and direction from paging again (event time). */
export function suppressionMs(verdict: FeedbackVerdict): number {
  switch (verdict) {
    case 'expected':
      return 24 * 3_600_000;
    case 'planned':
      return 7 * 24 * 3_600_000;
    case 'not_an_issue':
      return 3 * 24 * 3_600_000;
  }
}
