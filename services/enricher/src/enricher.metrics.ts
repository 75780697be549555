import { Counter } from 'prom-client';
import type { ServiceMetrics } from '@tokentally/platform-observability';

/** Enricher-specific counters; quarantine by reason is the shared tokentally_events_quarantined_total. */
export class EnricherMetrics {
  readonly outcomes: Counter<'outcome'>;
  readonly unattributed: Counter;
  readonly redactions: Counter<'source'>;
  readonly ingest: Counter<'endpoint' | 'outcome'>;

  constructor(metrics: ServiceMetrics) {
    const registers = [metrics.registry];
    this.outcomes = new Counter({
      name: 'tokentally_enricher_events_total',
      help: 'Raw events by outcome: enriched, quarantined, duplicate (dropped redelivery)',
      labelNames: ['outcome'],
      registers,
    });
    this.unattributed = new Counter({
      name: 'tokentally_enricher_unattributed_total',
      help: 'Enriched events without a resolved owner (soft enforcement); unattributed share = this / enriched',
      registers,
    });
    this.redactions = new Counter({
      name: 'tokentally_enricher_redactions_total',
      help: 'Prompt/completion text or credential fields removed before forwarding',
      labelNames: ['source'],
      registers,
    });
    this.ingest = new Counter({
      name: 'tokentally_ingest_events_total',
      help: 'Events received over HTTP ingest, by endpoint and outcome (accepted, rejected)',
      labelNames: ['endpoint', 'outcome'],
      registers,
    });
  }
}
