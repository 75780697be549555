import { Counter } from 'prom-client';
import type { ServiceMetrics } from '@tokentally/platform-observability';

/** What the operator surface served: alerts read, feedback given, digests assembled. */
export class OperatorMetrics {
  readonly alertsServed: Counter<'route'>;
  readonly feedback: Counter<'verdict'>;
  readonly digests: Counter<'scope'>;

  constructor(metrics: ServiceMetrics) {
    const registers = [metrics.registry];
    this.alertsServed = new Counter({
      name: 'tokentally_operator_alerts_served_total',
      help: 'Alerts returned by GET /v1/alerts (each alert in a list counts) and GET /v1/alerts/:id',
      labelNames: ['route'],
      registers,
    });
    this.feedback = new Counter({
      name: 'tokentally_operator_alert_feedback_total',
      help: 'Feedback recorded through POST /v1/alerts/:id/feedback, by verdict',
      labelNames: ['verdict'],
      registers,
    });
    this.digests = new Counter({
      name: 'tokentally_operator_digests_served_total',
      help: 'Weekly digests served by GET /v1/digest (org: a finance token without team; team: one team)',
      labelNames: ['scope'],
      registers,
    });
  }
}
