import { Counter } from 'prom-client';
import type { ServiceMetrics } from '@tokentally/platform-observability';

/** Pricer counters; UNKNOWN_RATE also shows in the shared tokentally_events_quarantined_total. */
export class PricerMetrics {
  readonly outcomes: Counter<'outcome'>;
  readonly pricedNanos: Counter<'provider'>;

  constructor(metrics: ServiceMetrics) {
    const registers = [metrics.registry];
    this.outcomes = new Counter({
      name: 'tokentally_pricer_events_total',
      help: 'Enriched events by outcome: priced (new ledger row), duplicate (already in the ledger), unknown_rate (quarantined), conflict (event_id booked with other content: quarantined)',
      labelNames: ['outcome'],
      registers,
    });
    this.pricedNanos = new Counter({
      name: 'tokentally_pricer_priced_nanos_total',
      help: 'Nano-USD written to the ledger by provider (a float gauge of an exact ledger; reports use the ledger)',
      labelNames: ['provider'],
      registers,
    });
  }
}
