import type { Pool, PoolClient } from 'pg';
import {
  type BudgetDeclaration,
  type BudgetOverride,
  type BudgetRequestScopeFilter,
  type BudgetRule,
  type LedgerSpendSource,
  type OverrideReasonCode,
  type RequestCap,
} from '@tokentally/domain-budget';

interface RuleRow {
  team_id: string;
  feature: string | null;
  environment: string | null;
  monthly_limit_nanos: bigint;
  mode: 'hard' | 'soft';
  soft_until: Date | null;
  warn_at_bp: number;
}
interface OverrideRow {
  override_id: string;
  team_id: string;
  feature: string | null;
  environment: string | null;
  amount_nanos: bigint;
  reason_code: OverrideReasonCode;
  approver: string;
  note: string;
  created_at: Date;
  expires_at: Date;
}

/** Budget rules, request caps and overrides in Postgres, and month-to-date spend from the rollups. */
export class BudgetRepository implements LedgerSpendSource {
  constructor(private readonly pool: Pool) {}

  /** Replaces rules and caps inside the org file's own transaction (`tally org apply`). */
  async replaceDeclaration(client: PoolClient, declaration: BudgetDeclaration): Promise<void> {
    await client.query('DELETE FROM tokentally.budget_rules');
    await client.query('DELETE FROM tokentally.request_caps');
    const { rules, caps } = declaration;
    await client.query(
      `INSERT INTO tokentally.budget_rules
         (team_id, feature, environment, monthly_limit_nanos, mode, soft_until, warn_at_bp)
       SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::timestamptz[], $7::int[])`,
      [
        rules.map((r) => r.teamId),
        rules.map((r) => r.feature),
        rules.map((r) => r.environment),
        rules.map((r) => r.monthlyLimitNanos.toString()),
        rules.map((r) => r.mode),
        rules.map((r) => (r.softUntil === null ? null : new Date(r.softUntil).toISOString())),
        rules.map((r) => r.warnAtBp),
      ],
    );
    await client.query(
      'INSERT INTO tokentally.request_caps (kind, id, per_minute) SELECT * FROM UNNEST($1::text[], $2::text[], $3::int[])',
      [caps.map((c) => c.kind), caps.map((c) => c.id), caps.map((c) => c.perMinute)],
    );
  }

  async load(): Promise<BudgetDeclaration & { overrides: BudgetOverride[] }> {
    const [rules, caps, overrides] = await Promise.all([
      this.pool.query<RuleRow>(
        'SELECT * FROM tokentally.budget_rules ORDER BY team_id, feature, environment',
      ),
      this.pool.query<{ kind: RequestCap['kind']; id: string; per_minute: number }>(
        'SELECT kind, id, per_minute FROM tokentally.request_caps ORDER BY kind, id',
      ),
      this.overrides(),
    ]);
    return {
      rules: rules.rows.map(ruleOf),
      caps: caps.rows.map((c) => ({ kind: c.kind, id: c.id, perMinute: c.per_minute })),
      overrides,
    };
  }

  /** Overrides still in effect, or every one of a team (the audit trail) when `teamId` is given. */
  async overrides(filter: { teamId?: string; includeExpired?: boolean } = {}): Promise<BudgetOverride[]> {
    const { rows } = await this.pool.query<OverrideRow>(
      `SELECT * FROM tokentally.budget_overrides
        WHERE ($1::text IS NULL OR team_id = $1) AND ($2 OR expires_at > now())
        ORDER BY created_at, override_id`,
      [filter.teamId ?? null, filter.includeExpired ?? false],
    );
    return rows.map(overrideOf);
  }

  /** Overrides in effect at any instant of [start, end): what a statement of that period lists. */
  async overridesInEffect(start: Date, end: Date): Promise<BudgetOverride[]> {
    const { rows } = await this.pool.query<OverrideRow>(
      `SELECT * FROM tokentally.budget_overrides WHERE created_at < $2 AND expires_at > $1
        ORDER BY created_at, override_id`,
      [start, end],
    );
    return rows.map(overrideOf);
  }

  async addOverride(override: BudgetOverride, createdBy: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO tokentally.budget_overrides (override_id, team_id, feature, environment, amount_nanos,
         reason_code, approver, note, created_by, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        override.id,
        override.teamId,
        override.feature,
        override.environment,
        override.amountNanos.toString(),
        override.reasonCode,
        override.approver,
        override.note,
        createdBy,
        new Date(override.createdAt),
        new Date(override.expiresAt),
      ],
    );
  }

  /**
   * Booked spend of each scope in the month of the calls' own time (`bucket`). total_nanos already
   * holds re-pricing and late calls (adjustment_nanos is the part of it they are): counted once.
   */
  async monthToDate(
    period: string,
    scopes: readonly BudgetRequestScopeFilter[],
  ): Promise<Map<string, bigint>> {
    const spent = new Map<string, bigint>(scopes.map((s) => [s.scope, 0n]));
    if (scopes.length === 0) return spent;
    const { rows } = await this.pool.query<{
      team_id: string;
      feature: string;
      environment: string;
      nanos: bigint;
    }>(
      `SELECT team_id, feature, environment, sum(total_nanos)::bigint AS nanos
         FROM tokentally.rollup_monthly
        WHERE bucket = $1::timestamptz AND team_id = ANY($2::text[])
        GROUP BY 1, 2, 3`,
      [`${period}-01T00:00:00Z`, [...new Set(scopes.map((s) => s.teamId))]],
    );
    for (const row of rows)
      for (const s of scopes)
        if (
          s.teamId === row.team_id &&
          (s.feature === null || s.feature === row.feature) &&
          (s.environment === null || s.environment === row.environment)
        )
          spent.set(s.scope, (spent.get(s.scope) ?? 0n) + row.nanos);
    return spent;
  }
}

const ruleOf = (row: RuleRow): BudgetRule => ({
  teamId: row.team_id,
  feature: row.feature,
  environment: row.environment,
  monthlyLimitNanos: row.monthly_limit_nanos,
  mode: row.mode,
  softUntil: row.soft_until?.getTime() ?? null,
  warnAtBp: row.warn_at_bp,
});
const overrideOf = (row: OverrideRow): BudgetOverride => ({
  id: row.override_id,
  teamId: row.team_id,
  feature: row.feature,
  environment: row.environment,
  amountNanos: row.amount_nanos,
  reasonCode: row.reason_code,
  approver: row.approver,
  note: row.note,
  createdAt: row.created_at.getTime(),
  expiresAt: row.expires_at.getTime(),
});
