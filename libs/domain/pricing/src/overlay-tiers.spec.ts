import type { PricedCallEvent } from '@tokentally/contracts';
import { PriceCatalog } from './catalog';
import { priceEnrichedCall, type RateBook } from './rate-book';
import { enrichedCall } from './spec-builders';

/*
 * Service tiers the provider publishes (src/overlay): priced without any card of the user's. Every
 * expected value is computed by hand: $P per 1M tokens is P x 1,000 nanos per token, then x the tier's
 * factor, rounded once, half to even.
 */
const book: RateBook = { cards: [], multipliers: [], fx: [], catalog: new PriceCatalog() };

function priced(...args: Parameters<typeof enrichedCall>): PricedCallEvent {
  const outcome = priceEnrichedCall(enrichedCall(...args), book, Date.UTC(2026, 10, 20));
  if (!outcome.ok) throw new Error(outcome.message);
  const { total_nanos, ...components } = outcome.value.cost;
  expect(Object.values(components).reduce((a, b) => a + b, 0)).toBe(total_nanos);
  return outcome.value;
}

describe('published batch, flex and priority prices (the overlay)', () => {
  it('OpenAI batch: half price on tokens with no multiplier of the user, web searches not discounted', () => {
    // 10,000 x 2.5 x 1,000 x 0.5 = 12,500,000; 2,000 x 10 x 1,000 x 0.5 = 10,000,000; 1 search = 10,000,000
    const p = priced(
      'openai',
      'gpt-4o',
      { uncached_input: 10000, output: 2000, units: { web_search_requests: 1 } },
      { service_tier: 'batch' },
    );
    expect(p.cost).toMatchObject({ units_nanos: 10_000_000, total_nanos: 32_500_000 });
    expect(p).toMatchObject({
      rate_card_id: 'catalog:openai/gpt-4o',
      rate_multiplier_id: 'overlay:openai-batch',
      rate_multiplier_version: 'tokentally-overlay@2026-12-01',
      rate_multiplier: '0.5',
      pricing_tier: 'batch',
    });
  });

  it('OpenAI flex on o4-mini: batch prices; gpt-4o has no flex tier and stays at standard', () => {
    // 1,000 x 1.1 x 1,000 x 0.5 = 550,000; 1,000 x 4.4 x 1,000 x 0.5 = 2,200,000
    const flex = priced(
      'openai',
      'o4-mini',
      { uncached_input: 1000, output: 1000 },
      { service_tier: 'flex' },
    );
    expect(flex.cost.total_nanos).toBe(2_750_000);
    expect(flex.rate_multiplier_id).toBe('overlay:openai-flex');
    // 1,000 x 2.5 x 1,000 + 1,000 x 10 x 1,000
    const none = priced('openai', 'gpt-4o', { uncached_input: 1000, output: 1000 }, { service_tier: 'flex' });
    expect(none.cost.total_nanos).toBe(12_500_000);
    expect(none.rate_multiplier_id).toBeNull();
  });

  it('OpenAI priority on gpt-4.1: the published priority prices, for every alias of the entry', () => {
    // 1,000 x 3.5 x 1,000 = 3,500,000; 4,000 x 0.875 x 1,000 = 3,500,000; 500 x 14 x 1,000 = 7,000,000
    for (const model of ['gpt-4.1', 'gpt-4.1-2025-04-14']) {
      const p = priced(
        'openai',
        model,
        { uncached_input: 1000, cache_read: 4000, output: 500 },
        { service_tier: 'priority' },
      );
      expect(p.cost).toMatchObject({ cache_read_nanos: 3_500_000, total_nanos: 14_000_000 });
      expect(p.rate_card_id).toBe('overlay:openai-priority-gpt-4.1');
      expect(p.rate_card_version).toContain('tokentally-overlay@2026-12-01 (openai-priority-gpt-4.1)');
    }
  });

  it('Anthropic batch: 50% on every token bucket (caching stacks), web searches at full price', () => {
    // 1,000 x 3 x 1,000 x 0.5 = 1,500,000; 2,000 x 6 x 1,000 x 0.5 = 6,000,000;
    // 1,000 x 15 x 1,000 x 0.5 = 7,500,000; 2 searches x $0.01 = 20,000,000; total 35,000,000
    const p = priced(
      'anthropic',
      'claude-sonnet-4-5-20250929',
      { uncached_input: 1000, cache_write_1h: 2000, output: 1000, units: { web_search_requests: 2 } },
      { service_tier: 'batch' },
    );
    expect(p.cost).toMatchObject({ cache_write_1h_nanos: 6_000_000, total_nanos: 35_000_000 });
    expect(p.rate_multiplier_id).toBe('overlay:anthropic-batch');
  });

  it('Gemini batch: half price from the Batch Mode launch (2025-07-07) on', () => {
    // 10,000 x 0.3 x 1,000 x 0.5 = 1,500,000; 1,000 x 2.5 x 1,000 x 0.5 = 1,250,000
    const usage = { uncached_input: 10000, output: 1000 };
    const batch = priced('google', 'gemini-2.5-flash', usage, { service_tier: 'batch' });
    expect(batch.cost.total_nanos).toBe(2_750_000);
    // the day before: 3,000,000 + 2,500,000
    const before = priced('google', 'gemini-2.5-flash', usage, {
      service_tier: 'batch',
      occurred_at: Date.UTC(2025, 6, 6, 12),
    });
    expect(before.cost.total_nanos).toBe(5_500_000);
    expect(before.rate_multiplier_id).toBeNull();
  });

  it("a user's own card prices the call as written: the overlay's tier discount is not laid over it", () => {
    const own: RateBook = {
      ...book,
      cards: [
        {
          id: 'acme-gpt-4o',
          version: 'v1',
          provider: 'openai',
          model: 'gpt-4o',
          effectiveFrom: 0,
          currency: 'USD',
          prices: { uncachedInput: '2', output: '8' },
        },
      ],
    };
    const outcome = priceEnrichedCall(
      enrichedCall('openai', 'gpt-4o', { uncached_input: 1000, output: 1000 }, { service_tier: 'batch' }),
      own,
      0,
    );
    // 1,000 x 2 x 1,000 + 1,000 x 8 x 1,000
    expect(outcome).toMatchObject({
      ok: true,
      value: { rate_card_id: 'acme-gpt-4o', rate_multiplier_id: null, cost: { total_nanos: 10_000_000 } },
    });
  });
});
