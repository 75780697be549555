import type { Pool } from 'pg';
import type {
  DigestAlert,
  DigestBudget,
  DigestInput,
  DigestSources,
  IsoWeek,
  SpendCell,
} from '@tokentally/domain-digest';

interface AlertRow {
  alert_id: string;
  kind: string;
  severity: string;
  status: DigestAlert['status'];
  team_id: string;
  feature: string | null;
  model: string | null;
  workflow: string | null;
  window_start: Date;
  window_end: Date;
  observed_nanos: bigint;
  baseline_nanos: bigint;
  primary_cause: string | null;
  explanation: string;
  drivers: { cause?: string; dimension: string; key: string; delta_nanos: number; share_bp: number }[];
  feedback: string | null;
}

/**
 * What the weekly digest reads, in event time: spend per team x feature x model x workflow from the
 * daily rollups (never raw ledger rows), the alerts of the week with their decompositions and latest
 * feedback, month-to-date spend against the team and feature budgets, and the week's quarantine.
 */
export class PostgresDigestSources implements DigestSources {
  constructor(private readonly pool: Pool) {}

  async load(week: IsoWeek, previous: IsoWeek): Promise<DigestInput> {
    const [teams, current, prior, alerts, budgets, quarantined] = await Promise.all([
      this.pool.query<{ team_id: string; name: string }>(
        'SELECT team_id, name FROM tokentally.teams ORDER BY team_id',
      ),
      this.cells(week),
      this.cells(previous),
      this.alerts(week),
      this.budgets(week),
      this.pool.query<{ reason: string; events: bigint }>(
        `SELECT reason, count(*)::bigint AS events FROM tokentally.quarantine
          WHERE quarantined_at >= $1 AND quarantined_at < $2 GROUP BY reason ORDER BY reason`,
        [new Date(week.start), new Date(week.end)],
      ),
    ]);
    return {
      week,
      previous,
      teams: teams.rows,
      current,
      prior,
      alerts,
      budgets,
      quarantined: quarantined.rows,
    };
  }

  private async cells(week: IsoWeek): Promise<SpendCell[]> {
    const { rows } = await this.pool.query<SpendCell>(
      `SELECT team_id, feature, model, workflow, sum(calls)::bigint AS calls, sum(retries)::bigint AS retries,
              sum(input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens)::bigint AS input_tokens,
              sum(output_tokens)::bigint AS output_tokens, sum(input_nanos + cache_nanos)::bigint AS input_nanos,
              sum(total_nanos)::bigint AS total_nanos
         FROM tokentally.rollup_daily WHERE bucket >= $1 AND bucket < $2
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      [new Date(week.start), new Date(week.end)],
    );
    return rows;
  }

  /** Latest revision of each alert whose window overlaps the week, or that is still open at its end. */
  private async alerts(week: IsoWeek): Promise<DigestAlert[]> {
    const { rows } = await this.pool.query<AlertRow>(
      `WITH latest AS (
         SELECT DISTINCT ON (alert_id) alert_id, kind, severity, status, team_id, feature, model, workflow,
                window_start, window_end, observed_nanos, baseline_nanos, primary_cause, explanation, drivers
           FROM tokentally.alerts WHERE window_start < $2
          ORDER BY alert_id, revision DESC)
       SELECT l.*, (SELECT f.verdict FROM tokentally.alert_feedback f WHERE f.alert_id = l.alert_id
                     ORDER BY f.created_at DESC LIMIT 1) AS feedback
         FROM latest l
        WHERE l.window_end > $1 OR l.status <> 'resolved'
        ORDER BY l.window_start, l.alert_id`,
      [new Date(week.start), new Date(week.end)],
    );
    return rows.map((r) => ({
      ...r,
      window_start: r.window_start.getTime(),
      window_end: r.window_end.getTime(),
      drivers: r.drivers.map((d) => ({
        cause: d.cause ?? 'other',
        dimension: d.dimension,
        key: d.key,
        delta_nanos: BigInt(d.delta_nanos),
        share_bp: d.share_bp,
      })),
    }));
  }

  /**
   * Every budget table, for the month the week ends in: team budgets (org registry), feature budgets
   * (the detector's) and gateway budget rules with the overrides in effect at the week's end; spend
   * from the 1st of the month to the week's end, from the daily rollups.
   */
  private async budgets(week: IsoWeek): Promise<DigestBudget[]> {
    const last = new Date(week.end - 1);
    const monthStart = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth(), 1));
    const period = `${last.getUTCFullYear()}-${String(last.getUTCMonth() + 1).padStart(2, '0')}`;
    const { rows } = await this.pool.query<Omit<DigestBudget, 'period'>>(
      `WITH budgets AS (
         SELECT 'team' AS source, team_id, NULL::text AS feature, NULL::text AS environment,
                monthly_budget_nanos AS budget_nanos
           FROM tokentally.teams WHERE monthly_budget_nanos IS NOT NULL
         UNION ALL
         SELECT 'feature', team_id, feature, NULL, monthly_budget_nanos FROM tokentally.feature_budgets
         UNION ALL
         SELECT 'gateway', g.team_id, g.feature, g.environment,
                g.monthly_limit_nanos + coalesce((SELECT sum(o.amount_nanos) FROM tokentally.budget_overrides o
                  WHERE o.team_id = g.team_id AND o.feature IS NOT DISTINCT FROM g.feature
                    AND o.environment IS NOT DISTINCT FROM g.environment
                    AND o.created_at <= $2 AND o.expires_at > $2), 0)
           FROM tokentally.budget_rules g)
       SELECT b.source, b.team_id, b.feature, b.environment, b.budget_nanos::bigint AS budget_nanos,
              coalesce((SELECT sum(r.total_nanos) FROM tokentally.rollup_daily r
                         WHERE r.team_id = b.team_id AND (b.feature IS NULL OR r.feature = b.feature)
                           AND (b.environment IS NULL OR r.environment = b.environment)
                           AND r.bucket >= $1 AND r.bucket < $2), 0)::bigint AS spent_nanos
         FROM budgets b
        ORDER BY b.team_id, b.source DESC, b.feature NULLS FIRST, b.environment NULLS FIRST`,
      [monthStart, new Date(week.end)],
    );
    return rows.map((r) => ({ ...r, period }));
  }
}
