import { Counter, Gauge } from 'prom-client';
import type { ServiceMetrics } from '@tokentally/platform-observability';

/** Detector figures: what it counted, what it tracks, what it raised. */
export class AnomalyDetectorMetrics {
  readonly calls: Counter<'outcome'>;
  readonly alerts: Counter<'kind' | 'status'>;
  readonly series: Gauge;
  readonly webhookFailures: Counter<'webhook'>;

  constructor(metrics: ServiceMetrics) {
    const registers = [metrics.registry];
    this.calls = new Counter({
      name: 'tokentally_anomaly_calls_total',
      help: 'Priced calls by outcome: counted (new in an open minute), duplicate (event_id seen), late (minute closed)',
      labelNames: ['outcome'],
      registers,
    });
    this.alerts = new Counter({
      name: 'tokentally_anomaly_alerts_total',
      help: 'Alerts stored (new alert_id and revision) by kind and status',
      labelNames: ['kind', 'status'],
      registers,
    });
    this.series = new Gauge({
      name: 'tokentally_anomaly_series_tracked',
      help: 'Series (team, team x feature/model/workflow/environment) with a baseline in memory',
      registers,
    });
    this.webhookFailures = new Counter({
      name: 'tokentally_anomaly_webhook_failures_total',
      help: 'Failed webhook deliveries (each is retried with backoff)',
      labelNames: ['webhook'],
      registers,
    });
  }
}
