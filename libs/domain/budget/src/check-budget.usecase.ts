import type { RateBook } from '@tokentally/domain-pricing';
import { decideBudget, type BudgetOutcome, type RuleVerdict } from './budget-decision';
import { activeOverridesFor } from './budget-override';
import { budgetPeriodOf, budgetScopeKey, effectiveMode, rulesFor } from './budget-rule';
import type { BudgetCounterStore, BudgetPolicy, CounterRule } from './budget.ports';
import { capKey } from './request-cap';
import { worstCaseCost, type SpendIntent } from './worst-case-estimate';

export interface BudgetCheckRequest extends Omit<SpendIntent, 'at'> {
  /** The call's future event_id: its priced event then frees exactly this reservation. */
  eventId?: string;
  teamId?: string;
  apiKeyId?: string;
  serviceAccount?: string;
  feature: string;
  environment: string;
}

export type BudgetReasonCode =
  | 'WITHIN_BUDGET'
  | 'NO_BUDGET'
  | 'WARN_THRESHOLD'
  | 'OVER_SOFT_BUDGET'
  | 'OVER_HARD_BUDGET'
  | 'OVERRIDE'
  | 'ALREADY_RESERVED'
  | 'RATE_LIMITED'
  | 'UNKNOWN_RATE'
  | 'INVALID_VALUE'
  | 'MISSING_OWNER'
  | 'STORE_UNAVAILABLE';

export interface BudgetCheckAnswer {
  decision: BudgetOutcome;
  reasonCode: BudgetReasonCode;
  reason: string;
  teamId: string | null;
  reservationId: string | null;
  estimateNanos: bigint | null;
  remainingNanos: bigint | null;
  viaOverride: boolean;
  /** True when the call should raise an alert even though it passes (soft mode on an unknown rate). */
  alert: boolean;
  retryAfterMs: number | null;
  verdicts: RuleVerdict[];
}

export interface BudgetCheckDeps {
  policy: BudgetPolicy;
  store: BudgetCounterStore;
  book: RateBook;
  now: number;
  reservationTtlMs: number;
  /** Hard budgets deny when the counter store cannot be reached (else they allow with an alert). */
  failClosed: boolean;
  newReservationId: () => string;
  /** Seeds a period's counters from the ledger (a fresh or lost Redis). */
  seed: (period: string) => Promise<void>;
}

const answer = (
  partial: Partial<BudgetCheckAnswer> & Pick<BudgetCheckAnswer, 'decision' | 'reasonCode' | 'reason'>,
): BudgetCheckAnswer => ({
  teamId: null,
  reservationId: null,
  estimateNanos: null,
  remainingNanos: null,
  viaOverride: false,
  alert: false,
  retryAfterMs: null,
  verdicts: [],
  ...partial,
});

/**
 * One budget decision for a gateway, before it spends: owner, request caps, worst-case price, then an
 * atomic reserve under every matching rule. Never a free pass: an unknown owner or model is denied
 * under a hard rule, and passes only with `alert` under a soft one.
 */
export async function checkBudget(
  request: BudgetCheckRequest,
  deps: BudgetCheckDeps,
): Promise<BudgetCheckAnswer> {
  const { policy, store, now } = deps;
  const teamId =
    request.teamId ??
    (request.apiKeyId !== undefined ? policy.teamOfApiKey(request.apiKeyId) : undefined) ??
    (request.serviceAccount !== undefined ? policy.teamOfServiceAccount(request.serviceAccount) : undefined);
  if (teamId === undefined)
    return answer({
      decision: 'deny',
      reasonCode: 'MISSING_OWNER',
      reason: 'no team_id, and neither the api key nor the service account maps to a team',
    });

  for (const cap of policy.caps) {
    const applies =
      (cap.kind === 'api_key' && cap.id === request.apiKeyId) ||
      (cap.kind === 'service_account' && cap.id === request.serviceAccount);
    if (!applies) continue;
    const admission = await store.admit(capKey(cap), now, cap.perMinute);
    if (!admission.admitted)
      return answer({
        decision: 'deny',
        reasonCode: 'RATE_LIMITED',
        reason: `${cap.kind} ${cap.id} is capped at ${cap.perMinute} requests per minute`,
        teamId,
        retryAfterMs: admission.retryAfterMs,
      });
  }

  const rules = rulesFor(policy.rules, {
    teamId,
    feature: request.feature,
    environment: request.environment,
  });
  const anyHard = rules.some((rule) => effectiveMode(rule, now) === 'hard');
  const estimate = worstCaseCost({ ...request, at: now }, deps.book);
  if (!estimate.ok)
    return anyHard || estimate.reason === 'INVALID_VALUE'
      ? answer({ decision: 'deny', reasonCode: estimate.reason, reason: estimate.message, teamId })
      : answer({
          decision: 'allow',
          reasonCode: estimate.reason,
          reason: `${estimate.message} (soft: allowed, alert raised)`,
          teamId,
          alert: true,
        });
  if (rules.length === 0)
    return answer({
      decision: 'allow',
      reasonCode: 'NO_BUDGET',
      reason: 'no budget applies',
      teamId,
      estimateNanos: estimate.nanos,
    });

  const period = budgetPeriodOf(now);
  const counterRules: CounterRule[] = rules.map((rule) => ({
    scope: budgetScopeKey(rule),
    limitNanos: activeOverridesFor(policy.overrides, rule, now).reduce(
      (sum, o) => sum + o.amountNanos,
      rule.monthlyLimitNanos,
    ),
    hard: effectiveMode(rule, now) === 'hard',
  }));
  const reservationId = request.eventId ?? deps.newReservationId();
  const reserve = () =>
    store.reserve(period, reservationId, estimate.nanos, now, now + deps.reservationTtlMs, counterRules);
  let reserved;
  try {
    reserved = await reserve();
    if (reserved.status === 'unseeded') {
      await deps.seed(period);
      reserved = await reserve();
    }
  } catch (error) {
    const reason = `budget store unreachable (${(error as Error).message})`;
    return anyHard && deps.failClosed
      ? answer({
          decision: 'deny',
          reasonCode: 'STORE_UNAVAILABLE',
          reason: `${reason}: hard budgets fail closed`,
          teamId,
        })
      : answer({
          decision: 'allow',
          reasonCode: 'STORE_UNAVAILABLE',
          reason: `${reason}: allowed, alert raised`,
          teamId,
          alert: true,
        });
  }
  if (reserved.status === 'duplicate')
    return answer({
      decision: 'allow',
      reasonCode: 'ALREADY_RESERVED',
      reason: `reservation ${reservationId} already holds this call`,
      teamId,
      reservationId,
      estimateNanos: estimate.nanos,
    });

  const decision = decideBudget(rules, reserved.counters, policy.overrides, estimate.nanos, now);
  const outcome = reserved.status === 'denied' ? 'deny' : decision.outcome;
  return answer({
    decision: outcome,
    reasonCode: reasonCodeOf(outcome, decision.viaOverride, decision.verdicts),
    reason: decision.reason,
    teamId,
    reservationId: reserved.status === 'reserved' ? reservationId : null,
    estimateNanos: estimate.nanos,
    remainingNanos: decision.remainingNanos,
    viaOverride: decision.viaOverride,
    verdicts: decision.verdicts,
  });
}

function reasonCodeOf(
  outcome: BudgetOutcome,
  viaOverride: boolean,
  verdicts: readonly RuleVerdict[],
): BudgetReasonCode {
  switch (outcome) {
    case 'deny':
      return 'OVER_HARD_BUDGET';
    case 'warn':
      return verdicts.some((v) => v.remainingNanos < 0n) ? 'OVER_SOFT_BUDGET' : 'WARN_THRESHOLD';
    case 'allow':
      return viaOverride ? 'OVERRIDE' : 'WITHIN_BUDGET';
  }
}
