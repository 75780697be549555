import type { AlertEvent, PricedCallEvent } from '@tokentally/contracts';
import { AnomalyDetector, DEFAULT_DETECTOR_PARAMS } from '@tokentally/domain-anomaly';
import type { AlertsRepository } from '@tokentally/adapters-postgres-alerts';
import type { AvroProducer, BatchContext, ConsumedRecord } from '@tokentally/platform-kafka';
import { ServiceMetrics, silentLogger } from '@tokentally/platform-observability';
import { AnomalyDetectorMetrics } from './anomaly-detector.metrics';
import { AnomalyDetectorPipeline } from './anomaly-detector.pipeline';
import type { BudgetChecker } from './outbound/budget.checker';
import type { DetectorStateStore } from './outbound/detector-state.store';
import type { PartitionLagReader } from './outbound/partition-lag.reader';

const T = Date.UTC(2026, 10, 4, 10);
const MIN = 60_000;

/** Only what the pipeline reads of a priced call (the mapper's fields). */
function call(id: string, at: number): PricedCallEvent {
  return {
    event_id: id,
    trace_id: id,
    occurred_at: at,
    team_id: 'search',
    feature: 'answers',
    workflow: 'ask',
    environment: 'prod',
    provider: 'openai',
    model: 'gpt-4o',
    is_retry: false,
    is_fallback: false,
    prompt_template_version: 'v1',
    rate_card_id: 'openai',
    rate_card_version: '1',
    buckets: { uncached_input: 1000, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0, output: 100 },
    cost: {
      uncached_input_nanos: 5_000_000,
      cache_read_nanos: 0,
      cache_write_5m_nanos: 0,
      cache_write_1h_nanos: 0,
      total_nanos: 6_000_000,
    },
  } as unknown as PricedCallEvent;
}

const records = (partition: number, first: number, values: PricedCallEvent[]) =>
  values.map((value, i): ConsumedRecord<PricedCallEvent> => ({
    topic: 'llm.calls.priced.v1',
    partition,
    offset: String(first + i),
    key: value.trace_id,
    value,
    rawValue: Buffer.alloc(0),
    timestamp: '0',
  }));

function setup() {
  let now = 1_000_000;
  const emptyPartitions = new Set<number>();
  const asked: number[][] = [];
  const detector = new AnomalyDetector({ ...DEFAULT_DETECTOR_PARAMS, latenessMs: 0, idleCloseMs: 0 });
  const alerts = {
    insert: (events: AlertEvent[]) =>
      Promise.resolve(new Set(events.map((e) => `${e.alert_id}#${e.revision}`))),
    feedbackSince: () => Promise.resolve([]),
    hourlyHistory: () => Promise.resolve([]),
    publishPending: () => Promise.resolve(0),
  } as unknown as AlertsRepository;
  const store = {
    load: () => Promise.resolve(false),
    save: () => Promise.resolve(),
  } as unknown as DetectorStateStore;
  const lag = {
    caughtUp: (partitions: number[]) => {
      asked.push([...partitions]);
      return Promise.resolve(partitions.filter((p) => emptyPartitions.has(p)));
    },
  } as unknown as PartitionLagReader;
  const pipeline = new AnomalyDetectorPipeline(
    detector,
    store,
    alerts,
    { check: () => Promise.resolve([]) } as unknown as BudgetChecker,
    { send: () => Promise.resolve() } as unknown as AvroProducer,
    lag,
    new AnomalyDetectorMetrics(new ServiceMetrics('anomaly-detector', { defaultMetrics: false })),
    silentLogger,
    { budgetCheckMs: 60_000, lagCheckMs: 0 },
    () => now,
  );
  const context = (partition: number, lastOffset: number, highWatermark: number): BatchContext => ({
    heartbeat: () => Promise.resolve(),
    partition,
    lastOffset: String(lastOffset),
    highWatermark: String(highWatermark),
    assigned: () => [0, 1],
  });
  return {
    detector,
    pipeline,
    context,
    asked,
    emptyPartitions,
    tick: (ms: number) => (now += ms),
    closed: () => detector.clock('search').closedThrough,
  };
}

describe('AnomalyDetectorPipeline: event time over the partitions assigned to this instance', () => {
  it('an assigned partition not read yet holds every window until Kafka says it is empty', async () => {
    const s = setup();
    const batch = [call('a', T), call('b', T + 10 * MIN)];
    await s.pipeline.handle(records(0, 0, batch), s.context(0, 1, 2));
    expect(s.asked).toEqual([[1]]);
    expect(Number.isFinite(s.closed())).toBe(false);
    s.emptyPartitions.add(1);
    await s.pipeline.handle(records(0, 2, [call('c', T + 11 * MIN)]), s.context(0, 2, 3));
    // known empty, but only idle after partitionIdleMs without a batch from it
    expect(Number.isFinite(s.closed())).toBe(false);
    s.tick(DEFAULT_DETECTOR_PARAMS.partitionIdleMs);
    await s.pipeline.handle(records(0, 3, [call('d', T + 12 * MIN)]), s.context(0, 3, 4));
    expect(s.closed()).toBe(T + 12 * MIN);
  });

  it('a lagging partition (records waiting) holds the clock at its own event time', async () => {
    const s = setup();
    await s.pipeline.handle(records(1, 0, [call('p1', T + 2 * MIN)]), s.context(1, 0, 500));
    await s.pipeline.handle(records(0, 0, [call('p0', T + 40 * MIN)]), s.context(0, 0, 1));
    s.tick(60_000);
    await s.pipeline.handle(records(0, 1, [call('p0b', T + 41 * MIN)]), s.context(0, 1, 2));
    expect(s.closed()).toBe(T + 2 * MIN);
    // its next batch still counts: nothing after its clock was closed
    await s.pipeline.handle(records(1, 1, [call('p1b', T + 5 * MIN)]), s.context(1, 1, 500));
    expect(s.detector.clock('search').open.has(T + 5 * MIN)).toBe(true);
    expect(s.closed()).toBe(T + 5 * MIN);
  });
});
