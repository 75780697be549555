import { PriceCatalog } from './catalog';
import { priceEnrichedCall, resolvePricing, resolvePricingCached, type RateBook } from './rate-book';
import { enrichedCall } from './spec-builders';

/*
 * DeepSeek's off-peak prices (UTC 16:30-00:30) until 2025-09-05 16:00 UTC, then flat prices
 * (src/overlay/deepseek.overlay.ts), priced at the call's own occurred_at. Hand-computed for
 * 10,000 cache-miss + 20,000 cache-hit input tokens and 1,000 output tokens.
 */
const book: RateBook = { cards: [], multipliers: [], fx: [], catalog: new PriceCatalog() };
const usage = { uncached_input: 10000, cache_read: 20000, output: 1000 };
const at = (iso: string) => Date.parse(iso);
const total = (model: string, occurredAt: number) => {
  const outcome = priceEnrichedCall(
    enrichedCall('deepseek', model, usage, { occurred_at: occurredAt }),
    book,
    0,
  );
  if (!outcome.ok) throw new Error(outcome.message);
  return { nanos: outcome.value.cost.total_nanos, card: outcome.value.rate_card_id };
};

describe('time-of-day prices (UTC windows)', () => {
  it.each([
    // off-peak, both models: 10,000 x 0.135 + 20,000 x 0.035 + 1,000 x 0.55, x 1,000 = 2,600,000
    ['deepseek-chat', '2025-06-01T17:00:00Z', 2_600_000, 'overlay:deepseek-off-peak'],
    ['deepseek-reasoner', '2025-06-02T00:29:59Z', 2_600_000, 'overlay:deepseek-off-peak'],
    // standard, chat: 10,000 x 0.27 + 20,000 x 0.07 + 1,000 x 1.10 = 5,200,000
    ['deepseek-chat', '2025-06-01T12:00:00Z', 5_200_000, 'overlay:deepseek-chat-standard-2025'],
    ['deepseek-chat', '2025-09-05T15:59:59Z', 5_200_000, 'overlay:deepseek-chat-standard-2025'],
    // standard, reasoner, from 00:30 on: 10,000 x 0.55 + 20,000 x 0.14 + 1,000 x 2.19 = 10,490,000
    ['deepseek-reasoner', '2025-06-02T00:30:00Z', 10_490_000, 'overlay:deepseek-reasoner-standard-2025'],
    // no discount after 2025-09-05 16:00: 10,000 x 0.56 + 20,000 x 0.07 + 1,000 x 1.68 = 8,680,000
    ['deepseek-chat', '2025-09-05T17:00:00Z', 8_680_000, 'overlay:deepseek-v3.1'],
    // V3.2: 10,000 x 0.28 + 20,000 x 0.028 + 1,000 x 0.42 = 3,780,000, day and night
    ['deepseek-reasoner', '2026-11-10T03:00:00Z', 3_780_000, 'overlay:deepseek-v3.2'],
    ['deepseek-chat', '2026-11-10T20:00:00Z', 3_780_000, 'overlay:deepseek-v3.2'],
  ])('%s at %s costs %d nanos (%s)', (model, when, nanos, card) => {
    expect(total(model, at(when))).toEqual({ nanos, card });
  });

  it("reads the catalog's own time-of-day entries where the overlay has none (it priced off-peak all day)", () => {
    // catalog 0.1.8, deepseek-chat: 00:30-16:30 UTC at 0.27 / 0.07 / 1.10, else 0.135 / 0.035 / 0.55
    expect(total('deepseek-chat', at('2025-01-15T12:00:00Z')).nanos).toBe(5_200_000);
    expect(total('deepseek-chat', at('2025-01-15T20:00:00Z')).nanos).toBe(2_600_000);
  });

  it('the resolution cache agrees with a fresh resolution at every quarter hour around the windows', () => {
    let compared = 0;
    for (const model of ['deepseek-chat', 'deepseek-reasoner'])
      for (const start of ['2025-01-14', '2025-06-01', '2025-09-04', '2025-09-28'])
        for (let t = at(`${start}T00:00:00Z`); t < at(`${start}T00:00:00Z`) + 2 * 86_400_000; t += 900_000) {
          const call = { provider: 'deepseek', model, region: null, serviceTier: null, at: t };
          expect(resolvePricingCached(book, call)).toEqual(resolvePricing(book, call));
          compared += 1;
        }
    expect(compared).toBe(2 * 4 * 192);
  });
});
