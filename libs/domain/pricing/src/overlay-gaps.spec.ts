import type { PricedCallEvent } from '@tokentally/contracts';
import { PriceCatalog } from './catalog';
import { priceEnrichedCall, type RateBook } from './rate-book';
import { enrichedCall } from './spec-builders';

/*
 * Published prices the catalog lacks, filled by the overlay (src/overlay), hand-computed: $P per 1M
 * tokens is P x 1,000 nanos per token.
 */
const book: RateBook = { cards: [], multipliers: [], fx: [], catalog: new PriceCatalog() };

function priced(...args: Parameters<typeof enrichedCall>): PricedCallEvent {
  const outcome = priceEnrichedCall(enrichedCall(...args), book, Date.UTC(2026, 10, 20));
  if (!outcome.ok) throw new Error(outcome.message);
  const { total_nanos, ...components } = outcome.value.cost;
  expect(Object.values(components).reduce((a, b) => a + b, 0)).toBe(total_nanos);
  return outcome.value;
}

describe('published prices the catalog lacks (the overlay)', () => {
  it('Sonnet 4 above 200k input tokens: the long-context tier, cache buckets included', () => {
    // input 150,001 + 50,000 + 10,000 + 2,000 = 212,001 > 200,000: every price switches
    // 150,001 x 6 x 1,000 = 900,006,000; 50,000 x 0.6 x 1,000 = 30,000,000; 10,000 x 7.5 x 1,000 =
    // 75,000,000; 2,000 x 12 x 1,000 = 24,000,000; 1,000 x 22.5 x 1,000 = 22,500,000; total 1,051,506,000
    const usage = {
      uncached_input: 150001,
      cache_read: 50000,
      cache_write_5m: 10000,
      cache_write_1h: 2000,
      output: 1000,
    };
    for (const model of ['claude-sonnet-4-20250514', 'claude-sonnet-4-0', 'claude-sonnet-4@20250514']) {
      const p = priced('anthropic', model, usage);
      expect(p.cost).toMatchObject({
        uncached_input_nanos: 900_006_000,
        cache_write_1h_nanos: 24_000_000,
        total_nanos: 1_051_506_000,
      });
      expect(p).toMatchObject({
        rate_card_id: 'catalog:anthropic/claude-sonnet-4-0',
        pricing_tier: 'long_context',
      });
      expect(p.rate_card_version).toContain('anthropic-sonnet-4-long-context');
    }
    // at 200,000 exactly it stays on base prices: 100,000 x 3 x 1,000 + 100,000 x 0.3 x 1,000 + 1,000 x 15 x 1,000
    const at = priced('anthropic', 'claude-sonnet-4-20250514', {
      uncached_input: 100000,
      cache_read: 100000,
      output: 1000,
    });
    expect(at.cost.total_nanos).toBe(345_000_000);
    expect(at.pricing_tier).toBeNull();
  });

  it('Sonnet 4 long context with batch: the tier, then half of it', () => {
    // 250,000 x 6 x 1,000 x 0.5 = 750,000,000; 1,000 x 22.5 x 1,000 x 0.5 = 11,250,000
    const p = priced(
      'anthropic',
      'claude-sonnet-4-20250514',
      { uncached_input: 250000, output: 1000 },
      { service_tier: 'batch' },
    );
    expect(p.cost.total_nanos).toBe(761_250_000);
    expect(p.pricing_tier).toBe('batch+long_context');
  });

  it('Anthropic web fetch: no charge beyond tokens, so the call is priced (it was UNKNOWN_RATE)', () => {
    // 20,000 x 3 x 1,000 = 60,000,000 (the fetched pages are input); 500 x 15 x 1,000 = 7,500,000;
    // 2 fetches x $0 = 0; 1 search x $0.01 = 10,000,000; total 77,500,000
    const p = priced('anthropic', 'claude-sonnet-4-5-20250929', {
      uncached_input: 20000,
      output: 500,
      units: { web_fetch_requests: 2, web_search_requests: 1 },
    });
    expect(p.cost).toMatchObject({ units_nanos: 10_000_000, total_nanos: 77_500_000 });
    expect(p.rate_card_id).toBe('catalog:anthropic/claude-sonnet-4-5');
    expect(p.rate_card_version).toContain('anthropic-web-fetch');
  });

  it('a unit nobody prices is still UNKNOWN_RATE, never free', () => {
    const outcome = priceEnrichedCall(
      enrichedCall('anthropic', 'claude-sonnet-4-5', {
        uncached_input: 5,
        units: { code_execution_hours: 1 },
      }),
      book,
      0,
    );
    expect(!outcome.ok && outcome.message).toMatch(/no price for unit "code_execution_hours"/);
  });
});
