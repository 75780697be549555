import { Counter, Gauge } from 'prom-client';
import type { ServiceMetrics } from '@tokentally/platform-observability';

/** Reconciler counters: imported lines by outcome, reconciled cells by status, open differences. */
export class ReconcilerMetrics {
  readonly importedLines: Counter<'format' | 'outcome'>;
  readonly cells: Counter<'provider' | 'status'>;
  readonly openDeltaNanos: Gauge<'provider'>;
  readonly runs: Counter<'trigger'>;

  constructor(metrics: ServiceMetrics) {
    const registers = [metrics.registry];
    this.importedLines = new Counter({
      name: 'tokentally_reconciler_lines_total',
      help: 'Provider export lines imported, by format and outcome: inserted, corrected (a restated figure), unchanged (re-import)',
      labelNames: ['format', 'outcome'],
      registers,
    });
    this.cells = new Counter({
      name: 'tokentally_reconciler_cells_total',
      help: 'Reconciliation cells computed, by provider and status (matched, within_tolerance, over_tolerance, missing_*)',
      labelNames: ['provider', 'status'],
      registers,
    });
    this.openDeltaNanos = new Gauge({
      name: 'tokentally_reconciler_open_delta_nanos',
      help: 'Sum of |provider - ledger| over cells beyond tolerance in the last run, by provider (a float view; results are in Postgres)',
      labelNames: ['provider'],
      registers,
    });
    this.runs = new Counter({
      name: 'tokentally_reconciler_runs_total',
      help: 'Reconciliation runs by trigger: import (a file arrived), timer (the re-run of recent days)',
      labelNames: ['trigger'],
      registers,
    });
  }
}
