import { formatUsd } from '@tokentally/domain-money';
import { activeOverridesFor, type BudgetOverride } from './budget-override';
import { budgetScopeKey, effectiveMode, type BudgetMode, type BudgetRule } from './budget-rule';

export type BudgetOutcome = 'allow' | 'warn' | 'deny';

/** Month-to-date figures of one rule's scope: booked spend (ledger) and open reservations. */
export interface ScopeCounters {
  spentNanos: bigint;
  reservedNanos: bigint;
}

export interface RuleVerdict {
  scope: string;
  mode: BudgetMode;
  outcome: BudgetOutcome;
  limitNanos: bigint;
  overrideNanos: bigint;
  /** Limit (with overrides) minus spent, reserved and this call's estimate; negative when over. */
  remainingNanos: bigint;
  overrideIds: string[];
}

export interface BudgetDecision {
  outcome: BudgetOutcome;
  reason: string;
  /** The tightest rule's remaining room after this call, or null when no budget applies. */
  remainingNanos: bigint | null;
  /** True when the call passes only because an override widened a limit. */
  viaOverride: boolean;
  verdicts: RuleVerdict[];
}

const SEVERITY: Record<BudgetOutcome, number> = { allow: 0, warn: 1, deny: 2 };

/**
 * The reference rule of a budget check, the same arithmetic the Redis script runs atomically: a call is
 * denied by a hard rule when spent + reserved + its worst case would pass the limit plus active
 * overrides; a soft rule (or a hard one still in its tuning period) only warns. Warnings also start at
 * the rule's warn threshold. The strictest verdict over every matching rule wins.
 */
export function decideBudget(
  rules: readonly BudgetRule[],
  counters: ReadonlyMap<string, ScopeCounters>,
  overrides: readonly BudgetOverride[],
  estimateNanos: bigint,
  at: number,
): BudgetDecision {
  if (rules.length === 0)
    return {
      outcome: 'allow',
      reason: 'no budget applies',
      remainingNanos: null,
      viaOverride: false,
      verdicts: [],
    };
  const verdicts = rules.map((rule) => verdictOf(rule, counters, overrides, estimateNanos, at));
  const worst = verdicts.reduce((a, b) => (SEVERITY[b.outcome] > SEVERITY[a.outcome] ? b : a));
  const tightest = verdicts.reduce((a, b) => (b.remainingNanos < a.remainingNanos ? b : a));
  const relied = verdicts.find((v) => v.overrideNanos > 0n && v.remainingNanos - v.overrideNanos < 0n);
  const viaOverride = worst.outcome !== 'deny' && relied !== undefined;
  const shown = worst.outcome === 'allow' && relied ? relied : worst;
  return {
    outcome: worst.outcome,
    reason: reasonOf(shown, viaOverride),
    remainingNanos: tightest.remainingNanos,
    viaOverride,
    verdicts,
  };
}

function verdictOf(
  rule: BudgetRule,
  counters: ReadonlyMap<string, ScopeCounters>,
  overrides: readonly BudgetOverride[],
  estimateNanos: bigint,
  at: number,
): RuleVerdict {
  const scope = budgetScopeKey(rule);
  const active = activeOverridesFor(overrides, rule, at);
  const overrideNanos = active.reduce((sum, o) => sum + o.amountNanos, 0n);
  const { spentNanos, reservedNanos } = counters.get(scope) ?? { spentNanos: 0n, reservedNanos: 0n };
  const projected = spentNanos + reservedNanos + estimateNanos;
  const limitNanos = rule.monthlyLimitNanos + overrideNanos;
  const mode = effectiveMode(rule, at);
  const over = projected > limitNanos;
  const warnLine = (limitNanos * BigInt(rule.warnAtBp)) / 10_000n;
  const outcome: BudgetOutcome = over
    ? mode === 'hard'
      ? 'deny'
      : 'warn'
    : projected > warnLine
      ? 'warn'
      : 'allow';
  return {
    scope,
    mode,
    outcome,
    limitNanos: rule.monthlyLimitNanos,
    overrideNanos,
    remainingNanos: limitNanos - projected,
    overrideIds: active.map((o) => o.id),
  };
}

function reasonOf(verdict: RuleVerdict, viaOverride: boolean): string {
  const [team, feature, environment] = JSON.parse(verdict.scope) as [string, string | null, string | null];
  const name = [team, feature, environment].filter((part) => part !== null).join(' / ');
  const limit = formatUsd(verdict.limitNanos + verdict.overrideNanos);
  switch (verdict.outcome) {
    case 'deny':
      return `hard budget of ${name} (${limit} this month) would be exceeded by ${formatUsd(-verdict.remainingNanos)}`;
    case 'warn':
      return verdict.remainingNanos < 0n
        ? `soft budget of ${name} (${limit}) exceeded by ${formatUsd(-verdict.remainingNanos)}${verdict.mode === 'soft' ? '' : ' (tuning period)'}`
        : `${name} is past its warning threshold: ${formatUsd(verdict.remainingNanos)} left of ${limit}`;
    case 'allow':
      return viaOverride
        ? `allowed by override ${verdict.overrideIds.join(', ')}: ${formatUsd(verdict.remainingNanos)} left`
        : `within budget: ${formatUsd(verdict.remainingNanos)} left of ${limit}`;
  }
}
