import type { BillableBuckets, EnrichedCallEvent, PricedCallEvent } from '@tokentally/contracts';
import { PriceCatalog } from './catalog';
import { priceEnrichedCall, type RateBook } from './rate-book';
import type { FxRate } from './fx';
import type { RateCard, RateMultiplier } from './rate-card';
import { buckets } from './spec-builders';

/*
 * Golden prices, every expected value computed by hand in the comment next to it. A price of $P per 1M
 * tokens is P x 1,000 nano-USD per token, so a component is tokens x P x 1,000 nanos (then x multiplier
 * x FX rate), rounded once, half to even. Catalog prices are @pydantic/genai-prices 0.1.8's bundled data.
 */

const NOV = (day: number, hour = 12): number => Date.UTC(2026, 10, day, hour);

let sequence = 0;
function call(
  provider: string,
  model: string,
  usage: Partial<BillableBuckets>,
  extra: Partial<EnrichedCallEvent> = {},
): EnrichedCallEvent {
  sequence += 1;
  return {
    event_id: `golden-${sequence}`,
    trace_id: `trace-${sequence}`,
    span_id: null,
    parent_span_id: null,
    provider_request_id: null,
    occurred_at: NOV(10),
    team_id: 'team-a',
    user_ref: null,
    tenant_ref: null,
    feature: 'search',
    workflow: null,
    environment: 'prod',
    owner_source: 'event',
    pseudonym_key_id: null,
    request_source: null,
    api_key_id: null,
    service_account: null,
    gateway_id: null,
    project_id: null,
    prompt_template_version: null,
    provider,
    model,
    response_model: null,
    region: null,
    service_tier: null,
    buckets: buckets(usage),
    raw_usage_json: null,
    attempt: 1,
    is_retry: false,
    is_fallback: false,
    status_code: 200,
    latency_ms: 900,
    streamed: null,
    attributes: {},
    redactions: 0,
    enriched_at: NOV(10),
    ...extra,
  };
}

const scope = { version: 'v1' };
const cards: RateCard[] = [
  {
    ...scope,
    id: 'acme-anthropic-negotiated',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5*',
    effectiveFrom: Date.UTC(2026, 10, 15),
    currency: 'USD',
    prices: { uncachedInput: '2.4', cacheRead: '0.24', cacheWrite5m: '3', cacheWrite1h: '4.8', output: '12' },
  },
  {
    ...scope,
    id: 'mistral-eu-contract',
    provider: 'mistral',
    model: 'mistral-large*',
    effectiveFrom: Date.UTC(2026, 10, 1),
    currency: 'EUR',
    prices: { uncachedInput: '1.8', output: '5.4' },
  },
];
const multipliers: RateMultiplier[] = [
  {
    ...scope,
    id: 'openai-batch',
    provider: 'openai',
    model: '*',
    serviceTier: 'batch',
    effectiveFrom: 0,
    factor: '0.5',
    appliesTo: 'tokens',
  },
  {
    ...scope,
    id: 'anthropic-us-inference-geo',
    provider: 'anthropic',
    model: 'claude-*',
    region: 'us',
    effectiveFrom: 0,
    factor: '1.1',
    appliesTo: 'tokens',
  },
];
const fx: FxRate[] = [
  { id: 'EUR@2026-10-01', currency: 'EUR', effectiveFrom: Date.UTC(2026, 9, 1), usdPerUnit: '1.05' },
  { id: 'EUR@2026-11-01', currency: 'EUR', effectiveFrom: Date.UTC(2026, 10, 1), usdPerUnit: '1.0825' },
];
const book: RateBook = { cards, multipliers, fx, catalog: new PriceCatalog() };

function priced(event: EnrichedCallEvent): PricedCallEvent {
  const outcome = priceEnrichedCall(event, book, NOV(20));
  if (!outcome.ok) throw new Error(outcome.message);
  const { total_nanos, ...components } = outcome.value.cost;
  expect(Object.values(components).reduce((a, b) => a + b, 0)).toBe(total_nanos);
  return outcome.value;
}

describe('golden prices across OpenAI, Anthropic, Gemini and Bedrock (hand-computed)', () => {
  it('1. OpenAI gpt-4o, plain', () => {
    // 1,000 x 2.5 x 1,000 = 2,500,000; 500 x 10 x 1,000 = 5,000,000; total 7,500,000
    const p = priced(call('openai', 'gpt-4o', { uncached_input: 1000, output: 500 }));
    expect(p.cost).toMatchObject({
      uncached_input_nanos: 2_500_000,
      output_nanos: 5_000_000,
      total_nanos: 7_500_000,
    });
    expect(p).toMatchObject({
      rate_card_id: 'catalog:openai/gpt-4o',
      rate_card_version: '@pydantic/genai-prices@0.1.8',
    });
  });

  it('2. OpenAI gpt-4o, cache reads billed once at the cache rate', () => {
    // 2,000 x 2.5 x 1,000 = 5,000,000; 8,000 x 1.25 x 1,000 = 10,000,000; 300 x 10 x 1,000 = 3,000,000
    const p = priced(call('openai', 'gpt-4o', { uncached_input: 2000, cache_read: 8000, output: 300 }));
    expect(p.cost).toMatchObject({ cache_read_nanos: 10_000_000, total_nanos: 18_000_000 });
  });

  it('3. OpenAI o4-mini, reasoning is inside output and never priced at zero', () => {
    // 1,200 x 1.1 x 1,000 = 1,320,000; 2,000 output (1,500 of it reasoning) x 4.4 x 1,000 = 8,800,000
    const p = priced(call('openai', 'o4-mini', { uncached_input: 1200, output: 2000, reasoning: 1500 }));
    expect(p.cost).toMatchObject({ output_nanos: 8_800_000, reasoning_nanos: 0, total_nanos: 10_120_000 });
  });

  it('4. Anthropic Sonnet 4.5, 5-minute cache write (the reference call, $0.054399)', () => {
    // 3 x 3 x 1,000 = 9,000; 12,304 x 3.75 x 1,000 = 46,140,000; 550 x 15 x 1,000 = 8,250,000
    const p = priced(
      call('anthropic', 'claude-sonnet-4-5-20250929', {
        uncached_input: 3,
        cache_write_5m: 12304,
        output: 550,
      }),
    );
    expect(p.cost).toMatchObject({ cache_write_5m_nanos: 46_140_000, total_nanos: 54_399_000 });
  });

  it('5. Anthropic Sonnet 4.5, 1-hour cache write and cache read', () => {
    // 100 x 3 x 1,000 = 300,000; 5,000 x 0.3 x 1,000 = 1,500,000; 10,000 x 6 x 1,000 = 60,000,000;
    // 1,000 x 15 x 1,000 = 15,000,000; total 76,800,000
    const p = priced(
      call('anthropic', 'claude-sonnet-4-5', {
        uncached_input: 100,
        cache_read: 5000,
        cache_write_1h: 10000,
        output: 1000,
      }),
    );
    expect(p.cost).toMatchObject({
      cache_write_1h_nanos: 60_000_000,
      cache_read_nanos: 1_500_000,
      total_nanos: 76_800_000,
    });
  });

  it('6. Anthropic long-context cliff: 200,001 input tokens (cache included) reprice the whole request', () => {
    // tier prices: 50,001 x 6 x 1,000 = 300,006,000; 150,000 x 0.6 x 1,000 = 90,000,000;
    // 2,000 x 22.5 x 1,000 = 45,000,000; total 435,006,000
    const p = priced(
      call('anthropic', 'claude-sonnet-4-5', { uncached_input: 50001, cache_read: 150000, output: 2000 }),
    );
    expect(p.cost.total_nanos).toBe(435_006_000);
    expect(p.pricing_tier).toBe('long_context');
  });

  it('7. Anthropic at exactly 200,000 input tokens stays on base prices (above, not at)', () => {
    // 50,000 x 3 x 1,000 = 150,000,000; 150,000 x 0.3 x 1,000 = 45,000,000; 2,000 x 15 x 1,000 = 30,000,000
    const p = priced(
      call('anthropic', 'claude-sonnet-4-5', { uncached_input: 50000, cache_read: 150000, output: 2000 }),
    );
    expect(p.cost.total_nanos).toBe(225_000_000);
    expect(p.pricing_tier).toBeNull();
  });

  it('8. Anthropic web searches are priced units ($10 per 1,000)', () => {
    // 1,000 x 3 x 1,000 = 3,000,000; 200 x 15 x 1,000 = 3,000,000; 3 searches x $0.01 = 30,000,000
    const p = priced(
      call('anthropic', 'claude-sonnet-4-5', {
        uncached_input: 1000,
        output: 200,
        units: { web_search_requests: 3 },
      }),
    );
    expect(p.cost).toMatchObject({ units_nanos: 30_000_000, total_nanos: 36_000_000 });
  });

  it('9. Gemini 2.5 Pro: thoughts are billed as output', () => {
    // 4,000 x 1.25 x 1,000 = 5,000,000; 1,500 output (1,200 thoughts) x 10 x 1,000 = 15,000,000
    const p = priced(
      call('google', 'gemini-2.5-pro', { uncached_input: 4000, output: 1500, reasoning: 1200 }),
    );
    expect(p.cost).toMatchObject({ output_nanos: 15_000_000, total_nanos: 20_000_000 });
  });

  it('10. Gemini 2.5 Pro long context above 200k tokens', () => {
    // 250,000 x 2.5 x 1,000 = 625,000,000; 1,000 x 15 x 1,000 = 15,000,000; total 640,000,000
    const p = priced(call('google', 'gemini-2.5-pro', { uncached_input: 250000, output: 1000 }));
    expect(p.cost.total_nanos).toBe(640_000_000);
  });

  it('11. Gemini 2.5 Flash with implicit cache reads', () => {
    // 10,000 x 0.3 x 1,000 = 3,000,000; 90,000 x 0.03 x 1,000 = 2,700,000; 700 x 2.5 x 1,000 = 1,750,000
    const p = priced(
      call('google', 'gemini-2.5-flash', { uncached_input: 10000, cache_read: 90000, output: 700 }),
    );
    expect(p.cost.total_nanos).toBe(7_450_000);
  });

  it('12. Bedrock cross-region (us.) Sonnet 4.5 uses the catalog regional entry (+10%)', () => {
    // 1,000 x 3.3 x 1,000 = 3,300,000; 2,000 x 4.125 x 1,000 = 8,250,000; 10,000 x 0.33 x 1,000 = 3,300,000;
    // 500 x 16.5 x 1,000 = 8,250,000; total 23,100,000
    const p = priced(
      call('bedrock', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', {
        uncached_input: 1000,
        cache_write_5m: 2000,
        cache_read: 10000,
        output: 500,
      }),
    );
    expect(p.cost.total_nanos).toBe(23_100_000);
    expect(p.rate_card_id).toBe('catalog:aws/regional.anthropic.claude-sonnet-4-5-20250929-v1:0');
  });

  it('13. Opus 4.6 history: the long-context surcharge applies before 2026-03-13 and not after', () => {
    // before: 300,000 x 10 x 1,000 = 3,000,000,000; 1,000 x 37.5 x 1,000 = 37,500,000 -> 3,037,500,000
    // after:  300,000 x 5 x 1,000 = 1,500,000,000; 1,000 x 25 x 1,000 = 25,000,000 -> 1,525,000,000
    const usage = { uncached_input: 300000, output: 1000 };
    const before = priced(
      call('anthropic', 'claude-opus-4-6', usage, { occurred_at: Date.UTC(2026, 2, 12, 23) }),
    );
    const after = priced(
      call('anthropic', 'claude-opus-4-6', usage, { occurred_at: Date.UTC(2026, 2, 13, 1) }),
    );
    expect(before.cost.total_nanos).toBe(3_037_500_000);
    expect(after.cost.total_nanos).toBe(1_525_000_000);
    expect(after.rate_card_version).toContain('prices from 2026-03-13');
  });

  it('14. OpenAI batch: half price on tokens, web searches not discounted', () => {
    // 10,000 x 2.5 x 1,000 x 0.5 = 12,500,000; 2,000 x 10 x 1,000 x 0.5 = 10,000,000;
    // 1 search x $0.01 = 10,000,000 (no batch discount); total 32,500,000
    const p = priced(
      call(
        'openai',
        'gpt-4o',
        { uncached_input: 10000, output: 2000, units: { web_search_requests: 1 } },
        { service_tier: 'batch' },
      ),
    );
    expect(p.cost).toMatchObject({
      uncached_input_nanos: 12_500_000,
      units_nanos: 10_000_000,
      total_nanos: 32_500_000,
    });
    expect(p).toMatchObject({
      pricing_tier: 'batch',
      rate_multiplier_id: 'openai-batch',
      rate_multiplier: '0.5',
    });
  });

  it('15. Anthropic US inference geo: a 1.1x regional uplift over the catalog', () => {
    // 1,000 x 3 x 1,000 x 1.1 = 3,300,000; 1,000 x 15 x 1,000 x 1.1 = 16,500,000; total 19,800,000
    const p = priced(
      call('anthropic', 'claude-sonnet-4-5', { uncached_input: 1000, output: 1000 }, { region: 'us' }),
    );
    expect(p.cost.total_nanos).toBe(19_800_000);
    expect(p.rate_multiplier_id).toBe('anthropic-us-inference-geo');
  });

  it('16. a negotiated rate effective 2026-11-15 00:00Z prices from that instant on, not before', () => {
    // Nov 14 23:59: catalog, 10,000 x 3 x 1,000 = 30,000,000 + 1,000 x 15 x 1,000 = 15,000,000 -> 45,000,000
    // Nov 15 00:00: negotiated, 10,000 x 2.4 x 1,000 = 24,000,000 + 1,000 x 12 x 1,000 = 12,000,000 -> 36,000,000
    const usage = { uncached_input: 10000, output: 1000 };
    const before = priced(
      call('anthropic', 'claude-sonnet-4-5', usage, { occurred_at: Date.UTC(2026, 10, 14, 23, 59) }),
    );
    const from = priced(
      call('anthropic', 'claude-sonnet-4-5', usage, { occurred_at: Date.UTC(2026, 10, 15) }),
    );
    expect(before).toMatchObject({ rate_card_id: 'catalog:anthropic/claude-sonnet-4-5' });
    expect(before.cost.total_nanos).toBe(45_000_000);
    expect(from).toMatchObject({ rate_card_id: 'acme-anthropic-negotiated', rate_card_version: 'v1' });
    expect(from.cost.total_nanos).toBe(36_000_000);
  });

  it('17. a EUR rate card converts at the FX rate in effect at the call, each component rounded once', () => {
    // EUR: 12,345 x 1.8 x 1,000 = 22,221,000; 678 x 5.4 x 1,000 = 3,661,200; original total 25,882,200
    // USD at 1.0825: 22,221,000 x 1.0825 = 24,054,232.5 -> half-even 24,054,232;
    //                3,661,200 x 1.0825 = 3,963,249 exactly; total 28,017,481
    const p = priced(call('mistral', 'mistral-large-latest', { uncached_input: 12345, output: 678 }));
    expect(p.cost).toMatchObject({
      uncached_input_nanos: 24_054_232,
      output_nanos: 3_963_249,
      total_nanos: 28_017_481,
    });
    expect(p).toMatchObject({
      original_currency: 'EUR',
      original_total_minor: 25_882_200,
      fx_rate_id: 'EUR@2026-11-01',
    });
  });

  it('an unknown model is UNKNOWN_RATE with the reason, never $0', () => {
    const outcome = priceEnrichedCall(
      call('openai', 'gpt-imaginary-9', { uncached_input: 5 }),
      book,
      NOV(20),
    );
    expect(outcome).toMatchObject({ ok: false, reason: 'UNKNOWN_RATE' });
    expect(!outcome.ok && outcome.message).toMatch(
      /no rate card or catalog price for openai\/gpt-imaginary-9/,
    );
  });

  it('a EUR card before any FX rate is in effect is UNKNOWN_RATE, not a guessed conversion', () => {
    const early = call(
      'mistral',
      'mistral-large-latest',
      { uncached_input: 5 },
      { occurred_at: Date.UTC(2026, 8, 1) },
    );
    // Sept 1 is before the EUR card itself: the catalog prices it in USD instead
    expect(priceEnrichedCall(early, book, NOV(20))).toMatchObject({
      ok: true,
      value: { original_currency: 'USD' },
    });
    const noFx: RateBook = { ...book, fx: [] };
    const outcome = priceEnrichedCall(
      call('mistral', 'mistral-large-latest', { uncached_input: 5 }),
      noFx,
      NOV(20),
    );
    expect(!outcome.ok && outcome.message).toMatch(/no FX rate to USD/);
  });
});
