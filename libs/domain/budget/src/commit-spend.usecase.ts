import { budgetPeriodOf, budgetScopeKey, rulesFor } from './budget-rule';
import type { BudgetCounterStore, BudgetPolicy, LedgerSpendSource } from './budget.ports';

export interface BookedCall {
  eventId: string;
  occurredAt: number;
  teamId: string;
  feature: string;
  environment: string;
  totalNanos: bigint;
}

/**
 * Calls the ledger has just booked: each frees its reservation and counts its actual cost once under
 * every rule it falls in, in the month of its own event time. Safe to repeat for a redelivered batch.
 */
export async function commitBookedCalls(
  calls: readonly BookedCall[],
  policy: BudgetPolicy,
  store: BudgetCounterStore,
): Promise<number> {
  const byPeriod = new Map<string, { eventId: string; actualNanos: bigint; scopes: string[] }[]>();
  for (const call of calls) {
    const scopes = rulesFor(policy.rules, call).map(budgetScopeKey);
    const period = budgetPeriodOf(call.occurredAt);
    const list = byPeriod.get(period) ?? [];
    list.push({ eventId: call.eventId, actualNanos: call.totalNanos, scopes });
    byPeriod.set(period, list);
  }
  let counted = 0;
  for (const [period, list] of byPeriod) counted += await store.commit(period, list);
  return counted;
}

/**
 * Hands the calls counted since the last read over to the ledger's own month-to-date figures. The ids
 * are taken before the ledger is read: each was booked before it was counted, so the read holds them.
 */
export async function refreshFromLedger(
  period: string,
  policy: BudgetPolicy,
  store: BudgetCounterStore,
  ledger: LedgerSpendSource,
): Promise<number> {
  const bridged = await store.bridgedIds(period);
  const scopes = policy.rules.map((rule) => ({ ...rule, scope: budgetScopeKey(rule) }));
  const spent = await ledger.monthToDate(period, scopes);
  for (const { scope } of scopes) if (!spent.has(scope)) spent.set(scope, 0n);
  await store.refresh(period, spent, bridged);
  return scopes.length;
}
