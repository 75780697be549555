import type { BudgetMode, BudgetRule } from '@tokentally/contracts';

/** Rules and modes are declared in the org file, so their shape is a contract (`OrgDeclaration.budgets`). */
export type { BudgetMode, BudgetRule } from '@tokentally/contracts';

export interface BudgetRequestScope {
  teamId: string;
  feature: string;
  environment: string;
}

/** The key a rule's counters live under for one month: stable, readable, no separator ambiguity. */
export function budgetScopeKey(rule: Pick<BudgetRule, 'teamId' | 'feature' | 'environment'>): string {
  return JSON.stringify([rule.teamId, rule.feature, rule.environment]);
}

export function effectiveMode(rule: BudgetRule, at: number): BudgetMode {
  return rule.softUntil !== null && at < rule.softUntil ? 'soft' : rule.mode;
}

/** Every rule a call is held to: the team's own and the feature's, each per environment if scoped. */
export function rulesFor(rules: readonly BudgetRule[], request: BudgetRequestScope): BudgetRule[] {
  return rules.filter(
    (rule) =>
      rule.teamId === request.teamId &&
      (rule.feature === null || rule.feature === request.feature) &&
      (rule.environment === null || rule.environment === request.environment),
  );
}

/** `YYYY-MM` of an instant, UTC: budgets are monthly and follow the call's time, not the server's. */
export function budgetPeriodOf(at: number): string {
  const date = new Date(at);
  const month = date.getUTCMonth() + 1;
  return `${date.getUTCFullYear()}-${month < 10 ? '0' : ''}${month}`;
}
