import { Gauge } from 'prom-client';
import type { ServiceMetrics } from '@tokentally/platform-observability';

/** What the console's status shows, for Prometheus too (deploy/prometheus rules, deploy/grafana). */
export class ConsoleMetrics {
  readonly completeThrough: Gauge;
  readonly inFlight: Gauge;
  readonly periodSpend: Gauge<'team'>;

  constructor(metrics: ServiceMetrics) {
    const registers = [metrics.registry];
    this.completeThrough = new Gauge({
      name: 'tokentally_ledger_complete_through_seconds',
      help: 'Unix time the ledger is complete through: the instant before the oldest call still in flight (now when none is)',
      registers,
    });
    this.inFlight = new Gauge({
      name: 'tokentally_ledger_in_flight_events',
      help: 'Calls between ingest and the ledger: lag of the consumer groups on the raw and enriched topics',
      registers,
    });
    this.periodSpend = new Gauge({
      name: 'tokentally_ledger_period_spend_nanos',
      help: "Direct spend of the open billing period (UTC month to date) per team, incl. 'unattributed', from the rollups",
      labelNames: ['team'],
      registers,
    });
  }
}
