import { TOPICS, type EnrichedCallEvent } from '@tokentally/contracts';
import { PriceCatalog, rateBookFrom } from '@tokentally/domain-pricing';
import { QuarantinePublisher } from '@tokentally/platform-kafka';
import { ServiceMetrics } from '@tokentally/platform-observability';
import {
  InMemoryLedger,
  RecordingBudgetCommits,
  RecordingProducer,
  buildEnrichedCallEvent,
  consumedRecords,
  fixedSnapshot,
} from '@tokentally/testing';
import { PricingPipeline } from './pricing.pipeline';
import { PricerMetrics } from './pricer.metrics';

const NOW = Date.UTC(2026, 10, 20, 12);
const book = rateBookFrom([], [], new PriceCatalog());

/** The pipeline over in-memory ports: a real QuarantinePublisher on the recording producer. */
function pipeline() {
  const ledger = new InMemoryLedger();
  const producer = new RecordingProducer();
  const quarantine = new QuarantinePublisher(producer, { stage: 'pricer', clock: () => NOW });
  const metrics = new PricerMetrics(new ServiceMetrics('pricer', { defaultMetrics: false }));
  const budget = new RecordingBudgetCommits();
  const pricing = new PricingPipeline(
    ledger,
    fixedSnapshot(book),
    producer,
    quarantine,
    metrics,
    budget,
    () => NOW,
  );
  const handle = (events: readonly EnrichedCallEvent[], offset = 0) =>
    pricing.handle(consumedRecords(TOPICS.enrichedCalls.name, events, offset));
  const priced = () => producer.sent(TOPICS.pricedCalls).map((r) => r.value);
  const quarantined = () => producer.sent(TOPICS.quarantine).map((r) => r.value);
  const outcome = async (name: string): Promise<number> =>
    (await metrics.outcomes.get()).values.find((v) => v.labels.outcome === name)?.value ?? 0;
  return { ledger, producer, budget, handle, priced, quarantined, outcome, metrics };
}

const calls = (count: number, overrides: Partial<EnrichedCallEvent> = {}): EnrichedCallEvent[] =>
  Array.from({ length: count }, (_, n) =>
    buildEnrichedCallEvent(n, { event_id: `call-${n}`, occurred_at: NOW - 3_600_000 + n, ...overrides }),
  );

describe('PricingPipeline (in-memory ports)', () => {
  it('prices a batch, books every call once and publishes it keyed by trace_id', async () => {
    const { ledger, producer, handle, priced, outcome } = pipeline();
    const input = calls(12);
    expect(await handle(input)).toEqual({ priced: 12, duplicates: 0, unknownRate: 0, conflicts: 0 });
    expect([...ledger.booked.keys()]).toEqual(input.map((e) => e.event_id));
    expect(producer.sent(TOPICS.pricedCalls).map((r) => r.key)).toEqual(input.map((e) => e.trace_id));
    for (const event of priced()) {
      const { total_nanos, ...components } = event.cost;
      expect(Object.values(components).reduce((a, b) => a + b, 0)).toBe(total_nanos);
      expect(total_nanos).toBeGreaterThan(0);
      expect(event.priced_at).toBe(NOW);
    }
    expect(ledger.totalNanos()).toBe(priced().reduce((s, e) => s + BigInt(e.cost.total_nanos), 0n));
    expect(await outcome('priced')).toBe(12);
  });

  it('carries the ownership envelope from the enriched call to the ledger and the priced event', async () => {
    const { ledger, handle, priced } = pipeline();
    const envelope = {
      owner_source: 'api_key',
      request_source: 'cron',
      api_key_id: 'key-7',
      service_account: 'svc-batch',
      gateway_id: 'litellm-eu-1',
      project_id: 'proj_abc',
      prompt_template_version: 'answer-v7',
      tenant_ref: 'dev:0123456789abcdef0123456789abcdef',
      provider_request_id: 'chatcmpl-1',
    } as const;
    await handle(calls(1, envelope));
    expect(priced()[0]).toMatchObject(envelope);
    expect(ledger.booked.get('call-0')).toMatchObject(envelope);
  });

  it('quarantines a call it has no rate for as UNKNOWN_RATE, with its bytes, and prices the rest', async () => {
    const { ledger, handle, priced, quarantined, outcome } = pipeline();
    const input = calls(3);
    input[1] = { ...(input[1] as EnrichedCallEvent), model: 'no-such-model-9000' };
    expect(await handle(input)).toMatchObject({ priced: 2, unknownRate: 1 });
    expect(ledger.booked.has('call-1')).toBe(false);
    expect(priced().map((e) => e.event_id)).toEqual(['call-0', 'call-2']);
    const [record] = quarantined();
    expect(record).toMatchObject({
      event_id: 'call-1',
      stage: 'pricer',
      reason: 'UNKNOWN_RATE',
      source_topic: TOPICS.enrichedCalls.name,
      source_offset: 1,
      quarantined_at: NOW,
    });
    expect(record?.message).toMatch(/no-such-model-9000/);
    expect(JSON.parse(record?.original_payload.toString() ?? '{}')).toMatchObject({ event_id: 'call-1' });
    expect(await outcome('unknown_rate')).toBe(1);
  });

  it('absorbs a redelivered batch: duplicates, nothing booked twice, no quarantine', async () => {
    const { ledger, handle, quarantined, outcome } = pipeline();
    const input = calls(5);
    await handle(input);
    const total = ledger.totalNanos();
    expect(await handle(input)).toEqual({ priced: 0, duplicates: 5, unknownRate: 0, conflicts: 0 });
    expect(ledger.booked.size).toBe(5);
    expect(ledger.totalNanos()).toBe(total);
    expect(quarantined()).toEqual([]);
    expect(await outcome('duplicate')).toBe(5);
  });

  it('refuses a resend of a booked event_id with other content as CONFLICT; the booked call stands', async () => {
    const { ledger, handle, priced, quarantined } = pipeline();
    const [first] = calls(1);
    await handle([first as EnrichedCallEvent]);
    const booked = ledger.booked.get('call-0');
    const resent = {
      ...(first as EnrichedCallEvent),
      buckets: { ...(first as EnrichedCallEvent).buckets, output: 99_999 },
    };
    expect(await handle([resent], 1)).toMatchObject({ priced: 0, conflicts: 1 });
    expect(ledger.booked.get('call-0')).toBe(booked);
    expect(priced()).toHaveLength(1); // the resend is not published
    expect(quarantined()).toEqual([
      expect.objectContaining({ event_id: 'call-0', reason: 'CONFLICT', source_offset: 1 }),
    ]);
    expect(quarantined()[0]?.message).toMatch(/output: \d+ -> 99999/);
  });

  it('publishes an event_id repeated within one batch once', async () => {
    const { handle, priced } = pipeline();
    const [call] = calls(1);
    expect(await handle([call, call] as EnrichedCallEvent[])).toMatchObject({ priced: 1, duplicates: 1 });
    expect(priced()).toHaveLength(1);
  });

  it('publishes nothing when the ledger write fails: the batch is redelivered, then booked', async () => {
    const { ledger, handle, priced } = pipeline();
    const input = calls(4);
    ledger.failNextRecord();
    await expect(handle(input)).rejects.toThrow('ledger transaction failed');
    expect(priced()).toEqual([]);
    expect(ledger.booked.size).toBe(0);
    expect(await handle(input)).toMatchObject({ priced: 4 });
    expect(priced()).toHaveLength(4);
  });

  it('commits each booked call to the budgets once per batch, never a refused resend', async () => {
    const { budget, handle, priced } = pipeline();
    const input = calls(3);
    await handle(input);
    expect(budget.committed).toEqual(
      priced().map((e) => ({
        eventId: e.event_id,
        occurredAt: e.occurred_at,
        teamId: e.team_id,
        feature: e.feature,
        environment: e.environment,
        totalNanos: BigInt(e.cost.total_nanos),
      })),
    );
    const first = input[0] as EnrichedCallEvent;
    const conflicting = { ...first, buckets: { ...first.buckets, output: first.buckets.output + 1 } };
    expect(await handle([conflicting], 3)).toMatchObject({ conflicts: 1 });
    expect(budget.batches.at(-1)).toEqual([]);
  });

  it('counts the nanos written per provider', async () => {
    const { handle, priced, metrics } = pipeline();
    await handle(calls(6));
    const byProvider = new Map<string, number>();
    for (const e of priced())
      byProvider.set(e.provider, (byProvider.get(e.provider) ?? 0) + e.cost.total_nanos);
    const counted = (await metrics.pricedNanos.get()).values.map((v) => [v.labels.provider, v.value]);
    expect(new Map(counted as [string, number][])).toEqual(byProvider);
  });
});
