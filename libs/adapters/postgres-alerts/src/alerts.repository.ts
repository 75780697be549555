import type { Pool } from 'pg';
import type { AlertEvent } from '@tokentally/contracts';
import { inTransaction } from '@tokentally/platform-db';

export interface BudgetRow {
  team_id: string;
  team_name: string;
  feature: string | null;
  budget_nanos: bigint;
  thresholds_bp: number[] | null;
}

export const ALERT_COLUMNS = `alert_id, revision, status, kind, severity, team_id, series, feature, workflow, model, environment,
  window_start, window_end, observed_nanos, baseline_nanos, primary_cause, explanation, drivers, period,
  threshold_bp, budget_nanos, forecast_date, detected_at`;

export interface AlertDbRow {
  alert_id: string;
  revision: number;
  status: AlertEvent['status'];
  kind: AlertEvent['kind'];
  severity: AlertEvent['severity'];
  team_id: string;
  series: string;
  feature: string | null;
  workflow: string | null;
  model: string | null;
  environment: string | null;
  window_start: Date;
  window_end: Date;
  observed_nanos: bigint;
  baseline_nanos: bigint;
  primary_cause: string | null;
  explanation: string;
  drivers: AlertEvent['drivers'];
  period: string | null;
  threshold_bp: number | null;
  budget_nanos: bigint | null;
  forecast_date: string | null;
  detected_at: Date;
  published_at: Date | null;
}

export function toEvent(row: AlertDbRow): AlertEvent {
  return {
    alert_id: row.alert_id,
    kind: row.kind,
    severity: row.severity,
    scope: {
      team_id: row.team_id,
      feature: row.feature,
      model: row.model,
      environment: row.environment,
      workflow: row.workflow,
      series: row.series,
    },
    window_start: row.window_start.getTime(),
    window_end: row.window_end.getTime(),
    observed_nanos: Number(row.observed_nanos),
    baseline_nanos: Number(row.baseline_nanos),
    explanation: row.explanation,
    drivers: row.drivers,
    detected_at: row.detected_at.getTime(),
    status: row.status,
    revision: row.revision,
    primary_cause: row.primary_cause,
    period: row.period,
    threshold_bp: row.threshold_bp,
    budget_nanos: row.budget_nanos === null ? null : Number(row.budget_nanos),
    forecast_crossing_date: row.forecast_date,
  };
}

/**
 * Alerts in Postgres: the (alert_id, revision) key makes every insert idempotent (a replay, a restart
 * or a second replica adds nothing) and the published_at column is the outbox of llm.alerts.v1.
 */
export class AlertsRepository {
  constructor(private readonly pool: Pool) {}

  /** Inserts what is new; returns the keys (`alert_id#revision`) that were actually inserted. */
  async insert(alerts: readonly AlertEvent[]): Promise<Set<string>> {
    if (alerts.length === 0) return new Set();
    const { rows } = await this.pool.query<{ alert_id: string; revision: number }>(
      `INSERT INTO tokentally.alerts (${ALERT_COLUMNS})
       SELECT a.alert_id, a.revision, a.status, a.kind, a.severity, a.scope->>'team_id', coalesce(a.scope->>'series', ''),
              a.scope->>'feature', a.scope->>'workflow', a.scope->>'model', a.scope->>'environment',
              to_timestamp(a.window_start / 1000.0), to_timestamp(a.window_end / 1000.0), a.observed_nanos,
              a.baseline_nanos, a.primary_cause, a.explanation, a.drivers, a.period, a.threshold_bp, a.budget_nanos,
              a.forecast_crossing_date, to_timestamp(a.detected_at / 1000.0)
         FROM jsonb_to_recordset($1::jsonb) AS a(alert_id text, revision int, status text, kind text, severity text,
              scope jsonb, window_start bigint, window_end bigint, observed_nanos bigint, baseline_nanos bigint,
              primary_cause text, explanation text, drivers jsonb, period text, threshold_bp int, budget_nanos bigint,
              forecast_crossing_date text, detected_at bigint)
       ON CONFLICT (alert_id, revision) DO NOTHING
       RETURNING alert_id, revision`,
      [JSON.stringify(alerts)],
    );
    return new Set(rows.map((r) => `${r.alert_id}#${r.revision}`));
  }

  /**
   * The outbox: locks up to `limit` unsent alerts (other replicas skip them), hands them to `send`,
   * and marks them sent only if `send` resolved. A crash in between sends them again (same key).
   */
  async publishPending(send: (alerts: AlertEvent[]) => Promise<void>, limit = 500): Promise<number> {
    const client = await this.pool.connect();
    try {
      return await inTransaction(client, async () => {
        const { rows } = await client.query<AlertDbRow>(
          `SELECT ${ALERT_COLUMNS}, published_at FROM tokentally.alerts WHERE published_at IS NULL
            ORDER BY created_at, alert_id, revision LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [limit],
        );
        if (rows.length === 0) return 0;
        await send(rows.map(toEvent));
        await client.query(
          `UPDATE tokentally.alerts SET published_at = now()
            WHERE (alert_id, revision) IN (SELECT * FROM unnest($1::text[], $2::int[]))`,
          [rows.map((r) => r.alert_id), rows.map((r) => r.revision)],
        );
        return rows.length;
      });
    } finally {
      client.release();
    }
  }

  /**
   * Feedback given after `since` (wall clock of the insert), for the detector to apply, with the
   * alert's series, kind and latest decision (event time), so feedback on an alert that is no longer
   * open still suppresses its scope.
   */
  async feedbackSince(since: Date): Promise<FeedbackRow[]> {
    const { rows } = await this.pool.query<FeedbackRow>(
      `SELECT f.alert_id, f.verdict, f.created_at, a.series, a.kind, a.detected_at
         FROM tokentally.alert_feedback f
         LEFT JOIN LATERAL (
           SELECT series, kind, detected_at FROM tokentally.alerts
            WHERE alert_id = f.alert_id ORDER BY revision DESC LIMIT 1
         ) a ON true
        WHERE f.created_at > $1 ORDER BY f.created_at`,
      [since],
    );
    return rows;
  }

  /** Team budgets (org registry) and per-feature budgets, for the budget checker. */
  async budgets(): Promise<BudgetRow[]> {
    const { rows } = await this.pool.query<BudgetRow>(
      `SELECT team_id, name AS team_name, NULL::text AS feature, monthly_budget_nanos AS budget_nanos, NULL::int[] AS thresholds_bp
         FROM tokentally.teams WHERE monthly_budget_nanos IS NOT NULL
       UNION ALL
       SELECT f.team_id, coalesce(t.name, f.team_id), f.feature, f.monthly_budget_nanos, f.thresholds_bp
         FROM tokentally.feature_budgets f LEFT JOIN tokentally.teams t USING (team_id)`,
    );
    return rows;
  }

  async setFeatureBudget(
    team: string,
    feature: string,
    budgetNanos: bigint,
    thresholdsBp: number[] = [8000, 10000],
  ): Promise<void> {
    await this.pool.query(
      `INSERT INTO tokentally.feature_budgets (team_id, feature, monthly_budget_nanos, thresholds_bp) VALUES ($1, $2, $3, $4)
       ON CONFLICT (team_id, feature) DO UPDATE SET monthly_budget_nanos = EXCLUDED.monthly_budget_nanos,
         thresholds_bp = EXCLUDED.thresholds_bp, updated_at = now()`,
      [team, feature, budgetNanos.toString(), thresholdsBp],
    );
  }

  /** Spend per event-time day (UTC) of a month for a team, or one feature of it, from the daily rollups. */
  async dailySpend(
    team: string,
    feature: string | null,
    monthStart: Date,
    monthEnd: Date,
  ): Promise<Map<string, bigint>> {
    const { rows } = await this.pool.query<{ day: string; nanos: bigint }>(
      `SELECT to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, sum(total_nanos)::bigint AS nanos
         FROM tokentally.rollup_daily
        WHERE team_id = $1 AND ($2::text IS NULL OR feature = $2) AND bucket >= $3 AND bucket < $4
        GROUP BY 1`,
      [team, feature, monthStart, monthEnd],
    );
    return new Map(rows.map((r) => [r.day, r.nanos]));
  }

  /** Hourly rollups of the weeks before `before`, grouped by the detector's cell dimensions (warm start). */
  async hourlyHistory(from: Date, before: Date): Promise<HourlyRollupRow[]> {
    const { rows } = await this.pool.query<HourlyRollupRow>(
      `SELECT bucket, team_id, feature, workflow, model, provider, environment,
              sum(calls)::bigint AS calls, sum(retries)::bigint AS retries,
              sum(input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens)::bigint AS input_tokens,
              sum(output_tokens)::bigint AS output_tokens, sum(input_nanos + cache_nanos)::bigint AS input_nanos,
              sum(total_nanos)::bigint AS total_nanos
         FROM tokentally.rollup_hourly WHERE bucket >= $1 AND bucket < $2
        GROUP BY 1, 2, 3, 4, 5, 6, 7`,
      [from, before],
    );
    return rows;
  }
}

export interface HourlyRollupRow {
  bucket: Date;
  team_id: string;
  feature: string;
  workflow: string;
  model: string;
  provider: string;
  environment: string;
  calls: bigint;
  retries: bigint;
  input_tokens: bigint;
  output_tokens: bigint;
  input_nanos: bigint;
  total_nanos: bigint;
}

export interface FeedbackRow {
  alert_id: string;
  verdict: string;
  created_at: Date;
  /** Of the alert's latest revision (null when the alert is unknown here). */
  series: string | null;
  kind: string | null;
  detected_at: Date | null;
}
