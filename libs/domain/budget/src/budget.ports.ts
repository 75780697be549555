import type { BudgetOverride } from './budget-override';
import type { BudgetRule, BudgetRequestScope } from './budget-rule';
import type { ScopeCounters } from './budget-decision';
import type { RequestCap } from './request-cap';

/** What the org registry says about budgets, refreshed by the service's snapshot of it. */
export interface BudgetPolicy {
  rules: readonly BudgetRule[];
  caps: readonly RequestCap[];
  overrides: readonly BudgetOverride[];
  teamOfApiKey(apiKeyId: string): string | undefined;
  teamOfServiceAccount(serviceAccount: string): string | undefined;
}

export interface CounterRule {
  scope: string;
  limitNanos: bigint;
  hard: boolean;
}

export type ReserveStatus = 'reserved' | 'denied' | 'duplicate' | 'unseeded';

/** Atomic counters shared by every replica (Redis in production). */
export interface BudgetCounterStore {
  reserve(
    period: string,
    reservationId: string,
    estimateNanos: bigint,
    now: number,
    expiresAt: number,
    rules: readonly CounterRule[],
  ): Promise<{ status: ReserveStatus; counters: Map<string, ScopeCounters> }>;
  commit(
    period: string,
    calls: readonly { eventId: string; actualNanos: bigint; scopes: readonly string[] }[],
  ): Promise<number>;
  bridgedIds(period: string): Promise<string[]>;
  refresh(
    period: string,
    ledger: ReadonlyMap<string, bigint>,
    bridgedBefore: readonly string[],
  ): Promise<void>;
  admit(capKey: string, now: number, cap: number): Promise<{ admitted: boolean; retryAfterMs: number }>;
}

/** Month-to-date booked spend (event time) per rule scope, from the ledger's rollups. */
export interface LedgerSpendSource {
  monthToDate(period: string, scopes: readonly BudgetRequestScopeFilter[]): Promise<Map<string, bigint>>;
}

export interface BudgetRequestScopeFilter extends Pick<BudgetRule, 'teamId' | 'feature' | 'environment'> {
  scope: string;
}

export type { BudgetRequestScope };
