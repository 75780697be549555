import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The metric set every service exposes on /metrics. Names are shared so one dashboard serves all
 * five services; the `service` default label tells them apart.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly eventsIn: Counter<'topic'>;
  readonly eventsOut: Counter<'topic'>;
  readonly eventsQuarantined: Counter<'stage' | 'reason'>;
  readonly handlerErrors: Counter<'topic'>;
  readonly processingSeconds: Histogram<'stage'>;
  readonly batchSize: Histogram<'topic'>;
  readonly consumerLag: Gauge<'group' | 'topic' | 'partition'>;
  readonly consumerStalled: Gauge<'topic' | 'partition'>;

  constructor(
    readonly service: string,
    options: { defaultMetrics?: boolean } = {},
  ) {
    this.registry.setDefaultLabels({ service });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.eventsIn = new Counter({
      name: 'tokentally_events_in_total',
      help: 'Events consumed, by topic',
      labelNames: ['topic'],
      registers,
    });
    this.eventsOut = new Counter({
      name: 'tokentally_events_out_total',
      help: 'Events produced, by topic',
      labelNames: ['topic'],
      registers,
    });
    this.eventsQuarantined = new Counter({
      name: 'tokentally_events_quarantined_total',
      help: 'Events set aside to the quarantine topic, by stage and reason code',
      labelNames: ['stage', 'reason'],
      registers,
    });
    this.handlerErrors = new Counter({
      name: 'tokentally_handler_errors_total',
      help: 'Batch handler failures (the batch is retried, offsets are not committed)',
      labelNames: ['topic'],
      registers,
    });
    this.processingSeconds = new Histogram({
      name: 'tokentally_processing_seconds',
      help: 'Time to handle one consumed batch, by stage',
      labelNames: ['stage'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.batchSize = new Histogram({
      name: 'tokentally_batch_size',
      help: 'Messages per consumed batch',
      labelNames: ['topic'],
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000],
      registers,
    });
    this.consumerLag = new Gauge({
      name: 'tokentally_consumer_lag',
      help: 'Messages between the committed offset and the log end, per topic-partition',
      labelNames: ['group', 'topic', 'partition'],
      registers,
    });
    this.consumerStalled = new Gauge({
      name: 'tokentally_consumer_stalled',
      help: "1 while a partition's batch keeps failing (it is retried, nothing after it is processed)",
      labelNames: ['topic', 'partition'],
      registers,
    });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
