import type { BudgetRule } from '@tokentally/contracts';
import type { BudgetOverride } from '@tokentally/domain-budget';
import { periodBounds } from '@tokentally/domain-ledger';
import type { UsageRow } from './statement';

/** An override in effect at some point of the period, as finance reads it on the statement. */
export interface StatementOverride {
  override_id: string;
  feature: string | null;
  environment: string | null;
  amount_nanos: bigint;
  reason_code: string;
  approver: string;
  note: string;
  created_at: string;
  expires_at: string;
}

/**
 * One enforced budget of the team over the period: its plain limit (the org file's, no override), the
 * overrides granted on that same scope, the direct spend in the scope, and how much of that spend is
 * above the plain limit (0 when within it).
 */
export interface StatementBudgetLine {
  feature: string | null;
  environment: string | null;
  mode: BudgetRule['mode'];
  limit_nanos: bigint;
  override_nanos: bigint;
  spent_nanos: bigint;
  above_budget_nanos: bigint;
}

export interface BudgetControls {
  budgets: StatementBudgetLine[];
  overrides: StatementOverride[];
}

/** What a statement needs about budget enforcement: the declared rules and every override on record. */
export interface BudgetControlsInput {
  rules: readonly BudgetRule[];
  overrides: readonly BudgetOverride[];
}

/** `all`, `feature=answers`, `feature=answers/environment=prod`: a scope as one CSV key. */
export function budgetScopeLabel(scope: { feature: string | null; environment: string | null }): string {
  const parts = [
    ...(scope.feature === null ? [] : [`feature=${scope.feature}`]),
    ...(scope.environment === null ? [] : [`environment=${scope.environment}`]),
  ];
  return parts.length === 0 ? 'all' : parts.join('/');
}

const sameScope = (
  a: { feature: string | null; environment: string | null },
  b: { feature: string | null; environment: string | null },
): boolean => a.feature === b.feature && a.environment === b.environment;

/**
 * A team's budgets, overrides and spend above the plain budget in a period. Spend is the team's direct
 * spend in the period's rollup rows (allocated shared cost is never enforced before spending), summed
 * exactly per rule scope; an override is listed when it was in effect at any instant of the period.
 */
export function budgetControlsOf(
  period: string,
  teamId: string,
  rows: readonly UsageRow[],
  input: BudgetControlsInput,
): BudgetControls {
  const { start, end } = periodBounds(period);
  const overrides = input.overrides
    .filter((o) => o.teamId === teamId && o.createdAt < end.getTime() && o.expiresAt > start.getTime())
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  const budgets = input.rules
    .filter((rule) => rule.teamId === teamId)
    .map((rule): StatementBudgetLine => {
      const spent = rows
        .filter(
          (row) =>
            row.team_id === teamId &&
            (rule.feature === null || row.feature === rule.feature) &&
            (rule.environment === null || row.environment === rule.environment),
        )
        .reduce((sum, row) => sum + row.total_nanos, 0n);
      return {
        feature: rule.feature,
        environment: rule.environment,
        mode: rule.mode,
        limit_nanos: rule.monthlyLimitNanos,
        override_nanos: overrides
          .filter((o) => sameScope(o, rule))
          .reduce((sum, o) => sum + o.amountNanos, 0n),
        spent_nanos: spent,
        above_budget_nanos: spent > rule.monthlyLimitNanos ? spent - rule.monthlyLimitNanos : 0n,
      };
    })
    .sort((a, b) => budgetScopeLabel(a).localeCompare(budgetScopeLabel(b)));
  return {
    budgets,
    overrides: overrides.map(statementOverrideOf),
  };
}

/** An override as finance reads it (statement, override routes): times as ISO 8601 UTC. */
export function statementOverrideOf(o: BudgetOverride): StatementOverride {
  return {
    override_id: o.id,
    feature: o.feature,
    environment: o.environment,
    amount_nanos: o.amountNanos,
    reason_code: o.reasonCode,
    approver: o.approver,
    note: o.note,
    created_at: new Date(o.createdAt).toISOString(),
    expires_at: new Date(o.expiresAt).toISOString(),
  };
}
