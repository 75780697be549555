import { randomUUID } from 'node:crypto';
import {
  budgetPeriodOf,
  checkBudget,
  commitBookedCalls,
  refreshFromLedger,
  type BookedCall,
  type BudgetCheckAnswer,
  type BudgetCheckRequest,
  type BudgetCounterStore,
  type LedgerSpendSource,
} from '@tokentally/domain-budget';
import type { BudgetMetrics } from './budget.metrics';
import type { BudgetPolicyCache } from './outbound/budget-policy.cache';
import type { RateBookCache } from './outbound/rate-book.cache';

export interface BudgetSettings {
  reservationTtlMs: number;
  failClosed: boolean;
}

/**
 * The budget use cases wired to this service's caches, counters and clock: decisions for the HTTP
 * route, commits for the pricing pipeline, refreshes for the timer. Logic lives in libs/domain/budget.
 */
export class BudgetCheck {
  /** One ledger read per period however many checks find it unseeded at once (a fresh or lost Redis). */
  private readonly seeding = new Map<string, Promise<void>>();

  constructor(
    private readonly policy: BudgetPolicyCache,
    private readonly rates: RateBookCache,
    private readonly store: BudgetCounterStore,
    private readonly ledger: LedgerSpendSource,
    private readonly metrics: BudgetMetrics,
    private readonly settings: BudgetSettings,
    private readonly clock: () => number = Date.now,
  ) {}

  async decide(request: BudgetCheckRequest): Promise<BudgetCheckAnswer> {
    const stop = this.metrics.latency.startTimer();
    const policy = this.policy.current;
    const answer = await checkBudget(request, {
      policy,
      store: this.store,
      book: this.rates.current,
      now: this.clock(),
      reservationTtlMs: this.settings.reservationTtlMs,
      failClosed: this.settings.failClosed,
      newReservationId: randomUUID,
      seed: (period) => this.seed(period),
    });
    stop();
    this.metrics.decisions.inc({ decision: answer.decision, reason: answer.reasonCode });
    return answer;
  }

  private seed(period: string): Promise<void> {
    let pending = this.seeding.get(period);
    if (!pending) {
      pending = refreshFromLedger(period, this.policy.current, this.store, this.ledger)
        .then(() => undefined)
        .finally(() => this.seeding.delete(period));
      this.seeding.set(period, pending);
    }
    return pending;
  }

  /** After the ledger committed a batch: never fails the batch (the ledger refresh covers a miss). */
  async commit(calls: readonly BookedCall[]): Promise<void> {
    if (calls.length === 0) return;
    try {
      await commitBookedCalls(calls, this.policy.current, this.store);
    } catch {
      this.metrics.commitFailures.inc();
    }
  }

  /** The current month's counters from the ledger: spend booked since the last refresh moves over. */
  async refresh(): Promise<void> {
    await refreshFromLedger(budgetPeriodOf(this.clock()), this.policy.current, this.store, this.ledger);
  }
}
