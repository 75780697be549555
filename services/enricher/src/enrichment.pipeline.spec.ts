import { TOPICS, type RawCallEvent } from '@tokentally/contracts';
import type { OrgSnapshot } from '@tokentally/domain-enrichment';
import { QuarantinePublisher } from '@tokentally/platform-kafka';
import { ServiceMetrics } from '@tokentally/platform-observability';
import {
  InMemoryQuarantinedEvents,
  InMemorySeenEvents,
  RecordingProducer,
  buildRawCallEvent,
  consumedRecords,
  fixedSnapshot,
} from '@tokentally/testing';
import { EnricherMetrics } from './enricher.metrics';
import { EnrichmentPipeline } from './enrichment.pipeline';

const NOW = Date.UTC(2026, 10, 20, 12);
const ORG: OrgSnapshot = {
  teams: new Set(['team-0', 'team-1', 'team-2', 'team-3', 'team-4', 'search']),
  apiKeys: new Map([['key-search', 'search']]),
  serviceAccounts: new Map([['svc-nightly', 'search']]),
};

/** The pipeline over in-memory ports: a real QuarantinePublisher on the recording producer. */
function pipeline(enforcement: 'hard' | 'soft' = 'hard') {
  const producer = new RecordingProducer();
  const seen = new InMemorySeenEvents();
  const metrics = new EnricherMetrics(new ServiceMetrics('enricher', { defaultMetrics: false }));
  const setAside = new InMemoryQuarantinedEvents();
  const enrichment = new EnrichmentPipeline(
    producer,
    new QuarantinePublisher(producer, { stage: 'enricher', clock: () => NOW }),
    seen,
    fixedSnapshot(ORG),
    {
      enforcement: { prod: enforcement, staging: enforcement, dev: 'soft', test: 'soft' },
      pseudonymKey: { id: 'k1', secret: 'fast-test-secret' },
    },
    metrics,
    setAside,
    () => NOW,
  );
  const handle = (events: readonly RawCallEvent[]) =>
    enrichment.handle(consumedRecords(TOPICS.rawCalls.name, events));
  const enriched = () => producer.sent(TOPICS.enrichedCalls).map((r) => r.value);
  const quarantined = () => producer.sent(TOPICS.quarantine).map((r) => r.value);
  const counter = async (name: 'outcomes' | 'unattributed', outcome?: string): Promise<number> =>
    (await metrics[name].get()).values.find((v) => !outcome || v.labels.outcome === outcome)?.value ?? 0;
  return { producer, seen, setAside, handle, enriched, quarantined, counter };
}

/** Raw calls with an owner on the event, each its own id. */
const calls = (count: number, overrides: Partial<RawCallEvent> = {}): RawCallEvent[] =>
  Array.from({ length: count }, (_, n) =>
    buildRawCallEvent(n, { event_id: `raw-${n}`, team_id: `team-${n % 5}`, ...overrides }),
  );

describe('EnrichmentPipeline (in-memory ports)', () => {
  it('enriches a batch, publishes it keyed by trace_id, then remembers the ids', async () => {
    const { producer, seen, handle, enriched, counter } = pipeline();
    const input = calls(8);
    expect(await handle(input)).toEqual({ enriched: 8, quarantined: 0, duplicates: 0 });
    expect(producer.sent(TOPICS.enrichedCalls).map((r) => r.key)).toEqual(input.map((e) => e.trace_id));
    expect([...seen.ids]).toEqual(input.map((e) => e.event_id));
    for (const event of enriched()) {
      expect(event.owner_source).toBe('event');
      expect(event.enriched_at).toBe(NOW);
      expect(event.user_ref).toMatch(/^k1:[0-9a-f]{32}$/);
    }
    // raw user and tenant ids never leave the enricher
    expect(JSON.stringify(enriched())).not.toMatch(/user-\d+@example\.com|tenant-\d/);
    expect(await counter('outcomes', 'enriched')).toBe(8);
  });

  it('keeps the ownership envelope and pseudonymises the tenant', async () => {
    const { handle, enriched } = pipeline();
    const [raw] = calls(1, {
      tenant_id: 'acme',
      prompt_template_version: 'answer-v7',
      api_key_id: 'key-9',
      project_id: 'proj_abc',
      gateway_id: 'litellm-eu-1',
      service_account: 'svc-x',
      request_source: 'cron',
      provider_request_id: 'chatcmpl-1',
    });
    await handle([raw as RawCallEvent]);
    expect(enriched()[0]).toMatchObject({
      prompt_template_version: 'answer-v7',
      api_key_id: 'key-9',
      project_id: 'proj_abc',
      gateway_id: 'litellm-eu-1',
      service_account: 'svc-x',
      request_source: 'cron',
      provider_request_id: 'chatcmpl-1',
      pseudonym_key_id: 'k1',
    });
    expect(enriched()[0]?.tenant_ref).toMatch(/^k1:[0-9a-f]{32}$/);
  });

  it.each<[string, Partial<RawCallEvent>, string, string]>([
    ['the event', { team_id: 'search' }, 'search', 'event'],
    ['the api key', { team_id: null, api_key_id: 'key-search' }, 'search', 'api_key'],
    [
      'an allow-listed service account',
      { team_id: null, api_key_id: null, service_account: 'svc-nightly' },
      'search',
      'service_account',
    ],
  ])('takes the owner from %s', async (_name, overrides, team, source) => {
    const { handle, enriched } = pipeline();
    await handle(calls(1, overrides));
    expect(enriched()[0]).toMatchObject({ team_id: team, owner_source: source });
  });

  it('drops redeliveries: ids already enriched and repeats within the batch', async () => {
    const { handle, enriched, counter } = pipeline();
    const input = calls(3);
    await handle(input);
    const again = [...input, buildRawCallEvent(9, { event_id: 'raw-new', team_id: 'team-1' })];
    expect(await handle([...again, again[3] as RawCallEvent])).toEqual({
      enriched: 1,
      quarantined: 0,
      duplicates: 4,
    });
    expect(enriched().map((e) => e.event_id)).toEqual(['raw-0', 'raw-1', 'raw-2', 'raw-new']);
    expect(await counter('outcomes', 'duplicate')).toBe(4);
  });

  it('enriches again a resend of a call the pricer set aside, and marks that quarantine replayed', async () => {
    const { setAside, handle, enriched } = pipeline();
    const [first, other] = calls(2);
    await handle([first, other] as RawCallEvent[]);
    setAside.setAside('raw-0', 'q-unknown-rate-1'); // e.g. UNKNOWN_RATE on a mistyped model
    const fixed = { ...(first as RawCallEvent), model: 'gpt-4o' };
    expect(await handle([fixed, other as RawCallEvent])).toEqual({
      enriched: 1,
      quarantined: 0,
      duplicates: 1,
    });
    expect(enriched().map((e) => e.event_id)).toEqual(['raw-0', 'raw-1', 'raw-0']);
    expect([...setAside.replayed]).toEqual(['q-unknown-rate-1']);
    // once replayed, the same resend is a redelivery again
    expect(await handle([fixed])).toMatchObject({ enriched: 0, duplicates: 1 });
  });

  it('quarantines an invalid call with its reason, field and bytes; blank ids are never duplicates', async () => {
    const { seen, handle, quarantined } = pipeline();
    const input = [
      ...calls(1),
      buildRawCallEvent(1, { event_id: ' ', team_id: 'team-1' }),
      buildRawCallEvent(2, { event_id: ' ', team_id: 'team-1' }),
      buildRawCallEvent(3, { event_id: 'raw-future', team_id: 'team-1', occurred_at: NOW + 3_600_000 }),
    ];
    expect(await handle(input)).toEqual({ enriched: 1, quarantined: 3, duplicates: 0 });
    expect(quarantined().map((q) => [q.event_id, q.reason, q.stage, q.source_offset])).toEqual([
      [' ', 'MISSING_FIELD', 'enricher', 1],
      [' ', 'MISSING_FIELD', 'enricher', 2],
      ['raw-future', 'INVALID_VALUE', 'enricher', 3],
    ]);
    expect(quarantined()[2]?.message).toMatch(/^occurred_at: .*in the future/);
    expect(JSON.parse(quarantined()[2]?.original_payload.toString() ?? '{}')).toMatchObject({
      event_id: 'raw-future',
    });
    expect([...seen.ids]).toEqual(['raw-0']); // only what was enriched is remembered
  });

  it('hard enforcement quarantines an ownerless call as MISSING_OWNER; soft books it unattributed', async () => {
    const ownerless = calls(1, { team_id: null, api_key_id: 'key-unknown', service_account: null });
    const hard = pipeline('hard');
    expect(await hard.handle(ownerless)).toMatchObject({ enriched: 0, quarantined: 1 });
    expect(hard.quarantined()[0]).toMatchObject({ reason: 'MISSING_OWNER' });
    expect(hard.quarantined()[0]?.message).toMatch(/key-unknown/);

    const soft = pipeline('soft');
    expect(await soft.handle(ownerless)).toMatchObject({ enriched: 1, quarantined: 0 });
    expect(soft.enriched()[0]).toMatchObject({ team_id: 'unattributed', owner_source: 'unattributed' });
    expect(await soft.counter('unattributed')).toBe(1);
  });

  it('remembers nothing when the publish fails, so the redelivered batch is enriched again', async () => {
    const { producer, seen, handle, enriched } = pipeline();
    const input = calls(3);
    producer.failNextSend();
    await expect(handle(input)).rejects.toThrow('broker unavailable');
    expect(seen.ids.size).toBe(0);
    expect(await handle(input)).toMatchObject({ enriched: 3, duplicates: 0 });
    expect(enriched()).toHaveLength(3);
  });
});
