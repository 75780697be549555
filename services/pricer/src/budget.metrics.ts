import { Counter, Histogram } from 'prom-client';
import type { ServiceMetrics } from '@tokentally/platform-observability';

/** Budget decisions by outcome and reason, and how long each took. */
export class BudgetMetrics {
  readonly decisions: Counter<'decision' | 'reason'>;
  readonly latency: Histogram;
  readonly commitFailures: Counter;

  constructor(metrics: ServiceMetrics) {
    const registers = [metrics.registry];
    this.decisions = new Counter({
      name: 'tokentally_budget_decisions_total',
      help: 'Budget checks answered, by decision (allow, warn, deny) and reason code',
      labelNames: ['decision', 'reason'],
      registers,
    });
    this.latency = new Histogram({
      name: 'tokentally_budget_decision_seconds',
      help: 'Time to answer one budget check, from request to decision',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.25],
      registers,
    });
    this.commitFailures = new Counter({
      name: 'tokentally_budget_commit_failures_total',
      help: 'Batches whose booked calls could not be committed to the budget counters (the next ledger refresh covers them)',
      registers,
    });
  }
}
