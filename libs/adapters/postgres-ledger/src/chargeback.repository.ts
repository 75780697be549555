import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type {
  AllocationRule,
  DailyRollupGroup,
  FocusAdjustmentGroup,
  FocusUsageGroup,
  RollupGroup,
  UserTotal,
} from '@tokentally/contracts';
import { periodBounds, previousPeriod } from '@tokentally/domain-ledger';
import { inTransaction } from '@tokentally/platform-db';
import { BudgetRepository } from '@tokentally/adapters-postgres-budget';
import { ENSURE_PERIOD_SQL } from './ledger-sql';

const SUMS = `sum(calls)::bigint AS calls, sum(retries)::bigint AS retries, sum(input_tokens)::bigint AS input_tokens,
  sum(cache_read_tokens)::bigint AS cache_read_tokens, sum(cache_write_5m_tokens)::bigint AS cache_write_5m_tokens,
  sum(cache_write_1h_tokens)::bigint AS cache_write_1h_tokens, sum(output_tokens)::bigint AS output_tokens,
  sum(reasoning_tokens)::bigint AS reasoning_tokens, sum(total_nanos)::bigint AS total_nanos,
  sum(adjustment_nanos)::bigint AS adjustment_nanos`;
const DIMENSIONS = 'team_id, feature, workflow, model, provider, environment, user_ref';
const ZERO_MEASURES = {
  calls: 0n,
  retries: 0n,
  input_tokens: 0n,
  cache_read_tokens: 0n,
  cache_write_5m_tokens: 0n,
  cache_write_1h_tokens: 0n,
  output_tokens: 0n,
  reasoning_tokens: 0n,
  total_nanos: 0n,
  adjustment_nanos: 0n,
};

export interface TeamRow {
  id: string;
  name: string;
  cost_centre: string | null;
  owner: string | null;
  monthly_budget_nanos: bigint | null;
}

export interface ClosedStatement {
  period: string;
  content_hash: string;
  statement: string;
  closed_at: Date;
}

/**
 * What chargeback reads: the daily rollups of a billing period (never raw ledger rows), the org registry,
 * and the closed statements. Parameters only; no SQL is built from input.
 */
export class ChargebackRepository {
  constructor(private readonly pool: Pool) {}

  async periodUsage(period: string, team?: string): Promise<RollupGroup[]> {
    const { rows } = await this.pool.query<RollupGroup>(
      `SELECT ${DIMENSIONS}, ${SUMS} FROM tokentally.rollup_monthly
        WHERE period = $1 AND ($2::text IS NULL OR team_id = $2)
        GROUP BY ${DIMENSIONS} ORDER BY ${DIMENSIONS}`,
      [period, team ?? null],
    );
    return rows;
  }

  async dailyUsage(period: string, team?: string): Promise<DailyRollupGroup[]> {
    const { rows } = await this.pool.query<DailyRollupGroup>(
      `SELECT bucket AS day, ${DIMENSIONS}, ${SUMS} FROM tokentally.rollup_daily
        WHERE period = $1 AND ($2::text IS NULL OR team_id = $2)
        GROUP BY bucket, ${DIMENSIONS} ORDER BY bucket, ${DIMENSIONS}`,
      [period, team ?? null],
    );
    return rows;
  }

  /**
   * FOCUS usage: the period's ledger calls per day, owner, model and price point with per-bucket tokens
   * and costs (the rollups keep neither the rate card nor every bucket's cost, and FOCUS needs both to
   * name one SKU price per row), with the stored card and multiplier definitions of any version.
   * An export reads one month of calls, never more: calls book in their own month or a later one.
   */
  async focusUsage(period: string, team?: string): Promise<FocusUsageGroup[]> {
    const keys = `day, late, team_id, feature, workflow, environment, user_ref, provider, model, rate_card_id,
      rate_card_version, pricing_tier, rate_multiplier, rate_multiplier_id, rate_multiplier_version,
      original_currency, fx_rate_id`;
    const buckets = [
      'uncached_input',
      'cache_read',
      'cache_write_5m',
      'cache_write_1h',
      'output',
      'reasoning',
    ];
    const sums = [
      ...buckets.map((b) => `${b}_tokens`),
      ...buckets.map((b) => `${b}_nanos`),
      'request_fee_nanos',
      'units_nanos',
    ].map((c) => `sum(${c})::bigint AS ${c}`);
    const { rows } = await this.pool.query<FocusUsageGroup & { unit_maps: Record<string, number>[] | null }>(
      `WITH calls AS (
         SELECT l.*, date_trunc('day', occurred_at, 'UTC') AS day, coalesce(l.workflow, '') AS workflow_key,
                coalesce(l.user_ref, '') AS user_key,
                period <> to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') AS late
           FROM tokentally.ledger l
          WHERE period = $1 AND occurred_at < $2 AND ($3::text IS NULL OR team_id = $3)),
       grouped AS (
         SELECT day, late, team_id, feature, workflow_key AS workflow, environment, user_key AS user_ref, provider,
                model, rate_card_id, rate_card_version, pricing_tier, rate_multiplier, rate_multiplier_id,
                rate_multiplier_version, original_currency, fx_rate_id, count(*)::bigint AS calls, ${sums.join(', ')},
                array_agg(units) FILTER (WHERE units <> '{}'::jsonb) AS unit_maps
           FROM calls GROUP BY ${keys.replace('workflow,', 'workflow_key,').replace('user_ref,', 'user_key,')})
       SELECT g.*, card.definition AS card_definition, multiplier.definition ->> 'appliesTo' AS multiplier_applies_to
         FROM grouped g
         LEFT JOIN tokentally.rate_cards card
           ON card.card_id = g.rate_card_id AND 'v' || card.version = g.rate_card_version AND card.kind = 'prices'
         LEFT JOIN tokentally.rate_cards multiplier
           ON multiplier.card_id = g.rate_multiplier_id AND 'v' || multiplier.version = g.rate_multiplier_version
        ORDER BY ${keys}`,
      [period, periodBounds(period).end, team ?? null],
    );
    return rows.map(({ unit_maps, ...row }) => {
      const units: Record<string, bigint> = {};
      for (const map of unit_maps ?? [])
        for (const [name, count] of Object.entries(map)) units[name] = (units[name] ?? 0n) + BigInt(count);
      return { ...row, units };
    });
  }

  /** Everything a FOCUS export of a period is built from (the domain's focusExport input). */
  async focusSources(period: string, team?: string) {
    const [usage, adjustments, teams, fx] = await Promise.all([
      this.focusUsage(period, team),
      this.focusAdjustments(period, team),
      this.teams(),
      this.pool.query<{ currency: string; effectiveFrom: Date; usdPerUnit: string }>(
        'SELECT currency, effective_from AS "effectiveFrom", usd_per_unit::text AS "usdPerUnit" FROM tokentally.fx_rates',
      ),
    ]);
    return { usage, adjustments, teams, fx: fx.rows };
  }

  /** Re-pricing adjustments booked in the period, per day of the original calls, owner and model. */
  async focusAdjustments(period: string, team?: string): Promise<FocusAdjustmentGroup[]> {
    const { rows } = await this.pool.query<FocusAdjustmentGroup>(
      `SELECT date_trunc('day', occurred_at, 'UTC') AS day,
              period <> to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') AS late, team_id, feature,
              coalesce(workflow, '') AS workflow, environment, coalesce(user_ref, '') AS user_ref, provider, model,
              count(*)::bigint AS adjustments, sum(total_nanos)::bigint AS total_nanos
         FROM tokentally.ledger_adjustments WHERE period = $1 AND ($2::text IS NULL OR team_id = $2)
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
      [period, team ?? null],
    );
    return rows;
  }

  async teams(): Promise<TeamRow[]> {
    const { rows } = await this.pool.query<TeamRow>(
      'SELECT team_id AS id, name, cost_centre, owner, monthly_budget_nanos FROM tokentally.teams ORDER BY team_id',
    );
    return rows;
  }

  async allocationRules(): Promise<{ id: string; rule: AllocationRule }[]> {
    const { rows } = await this.pool.query<{ rule_id: string; rule: AllocationRule }>(
      'SELECT rule_id, rule FROM tokentally.allocation_rules ORDER BY rule_id',
    );
    return rows.map((r) => ({ id: r.rule_id, rule: r.rule }));
  }

  /**
   * Everything a statement is built from (the domain's buildStatement input), read from the monthly
   * rollup: groups without user_ref (a few per team and model), and the top user_refs per team ranked
   * in SQL with their previous-period cost, so a report over millions of calls reads a few thousand rows.
   */
  async statementInput(period: string, topUsers = 10) {
    const previous = previousPeriod(period);
    const { start, end } = periodBounds(period);
    const budgets = new BudgetRepository(this.pool);
    const [rows, previousRows, current, teams, rules, declared, overrides] = await Promise.all([
      this.periodGroups(period, true),
      this.periodGroups(previous, false),
      this.topUsers(period, topUsers),
      this.teams(),
      this.allocationRules(),
      budgets.load(),
      budgets.overridesInEffect(start, end),
    ]);
    const { rows: before } = await this.pool.query<UserTotal>(
      `SELECT r.team_id, r.user_ref, sum(r.calls)::bigint AS calls, sum(r.total_nanos)::bigint AS total_nanos
         FROM tokentally.rollup_monthly r
         JOIN UNNEST($2::text[], $3::text[]) AS u(team_id, user_ref) USING (team_id, user_ref)
        WHERE r.period = $1 GROUP BY r.team_id, r.user_ref`,
      [previous, current.map((u) => u.team_id), current.map((u) => u.user_ref)],
    );
    return {
      period,
      previousPeriod: previous,
      rows,
      previousRows,
      teams,
      rules,
      topUsers,
      users: { current, previous: before },
      budgetControls: { rules: declared.rules, overrides },
    };
  }

  /** Monthly groups without user_ref; `measures` false reads cost and calls only (the previous period). */
  private async periodGroups(period: string, measures: boolean): Promise<RollupGroup[]> {
    const dims = 'team_id, feature, workflow, model, provider, environment';
    const { rows } = await this.pool.query<Partial<RollupGroup> & { team_id: string }>(
      `SELECT ${dims}, '' AS user_ref, ${measures ? SUMS : 'sum(calls)::bigint AS calls, sum(total_nanos)::bigint AS total_nanos'}
         FROM tokentally.rollup_monthly WHERE period = $1 GROUP BY ${dims}`,
      [period],
    );
    return rows.map((row) => ({ ...ZERO_MEASURES, ...row }) as RollupGroup);
  }

  private async topUsers(period: string, limit: number): Promise<UserTotal[]> {
    const { rows } = await this.pool.query<UserTotal>(
      `SELECT team_id, user_ref, calls, total_nanos FROM (
         SELECT team_id, user_ref, sum(calls)::bigint AS calls, sum(total_nanos)::bigint AS total_nanos,
                row_number() OVER (PARTITION BY team_id ORDER BY sum(total_nanos) DESC, user_ref) AS rank
           FROM tokentally.rollup_monthly WHERE period = $1 GROUP BY team_id, user_ref) ranked
        WHERE rank <= $2 ORDER BY team_id, rank`,
      [period, limit],
    );
    return rows;
  }

  async closedStatement(period: string): Promise<ClosedStatement | undefined> {
    const { rows } = await this.pool.query<ClosedStatement>(
      'SELECT period, content_hash, statement, closed_at FROM tokentally.statements WHERE period = $1',
      [period],
    );
    return rows[0];
  }

  /**
   * Closes a period: stores the statement text with its SHA-256 and marks the period closed, in one
   * transaction. From then on the ledger books late calls and re-pricing of that month in the open period.
   * The statement is built while the period's row is held FOR UPDATE: ledger batches writing into the
   * month have committed by then, and new ones wait and then book in the open period, so the stored
   * statement holds every call the period will ever hold.
   */
  async closePeriod(period: string, buildStatement: () => Promise<string>): Promise<ClosedStatement> {
    const { start, end } = periodBounds(period);
    const client = await this.pool.connect();
    try {
      return await inTransaction(client, async () => {
        await client.query(ENSURE_PERIOD_SQL, [period, start, end]);
        const current = await client.query<{ status: string }>(
          'SELECT status FROM tokentally.periods WHERE period = $1 FOR UPDATE',
          [period],
        );
        if (current.rows[0]?.status === 'closed') throw new Error(`period ${period} is already closed`);
        const statement = await buildStatement();
        const hash = createHash('sha256').update(statement).digest('hex');
        await client.query(
          "UPDATE tokentally.periods SET status = 'closed', closed_at = now(), content_hash = $2 WHERE period = $1",
          [period, hash],
        );
        const stored = await client.query<ClosedStatement>(
          'INSERT INTO tokentally.statements (period, content_hash, statement) VALUES ($1, $2, $3) RETURNING *',
          [period, hash, statement],
        );
        return stored.rows[0] as ClosedStatement;
      });
    } finally {
      client.release();
    }
  }
}
