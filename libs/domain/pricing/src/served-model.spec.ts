import { PriceCatalog } from './catalog';
import { priceEnrichedCall, type RateBook } from './rate-book';
import type { RateCard } from './rate-card';
import { enrichedCall } from './spec-builders';

const catalog = new PriceCatalog();
const book: RateBook = { cards: [], multipliers: [], fx: [], catalog };
const usage = { uncached_input: 1000, output: 1000 };
const price = (model: string, responseModel: string | null, rates: RateBook = book) =>
  priceEnrichedCall(
    enrichedCall(model.startsWith('claude') ? 'anthropic' : 'openai', model, usage, {
      response_model: responseModel,
    }),
    rates,
    0,
  );

describe('the served model (response_model) is priced and recorded', () => {
  it('a request for gpt-4o served by the 2024-05-13 snapshot pays that snapshot', () => {
    // 1,000 x 5 x 1,000 + 1,000 x 15 x 1,000 (gpt-4o itself: 2,500,000 + 10,000,000)
    expect(price('gpt-4o', 'gpt-4o-2024-05-13')).toMatchObject({
      ok: true,
      value: {
        model: 'gpt-4o',
        priced_model: 'gpt-4o-2024-05-13',
        rate_card_id: 'catalog:openai/gpt-4o-2024-05-13',
        cost: { total_nanos: 20_000_000 },
      },
    });
  });

  it('a gateway fallback to another model pays the model that answered', () => {
    // Haiku 4.5: 1,000 x 1 x 1,000 + 1,000 x 5 x 1,000
    expect(price('claude-opus-4-6', 'claude-haiku-4-5-20251001')).toMatchObject({
      ok: true,
      value: { priced_model: 'claude-haiku-4-5-20251001', cost: { total_nanos: 6_000_000 } },
    });
  });

  it('a served id nothing prices falls back to the requested model, and says so', () => {
    // 1,000 x 2.5 x 1,000 + 1,000 x 10 x 1,000
    for (const response of ['gpt-4o-2026-01-01', null, 'gpt-4o'])
      expect(price('gpt-4o', response)).toMatchObject({
        ok: true,
        value: { priced_model: 'gpt-4o', cost: { total_nanos: 12_500_000 } },
      });
  });

  it('your card for the requested model keeps pricing it when the catalog would price the snapshot', () => {
    const own: RateCard = {
      id: 'acme-gpt-4o',
      version: 'v1',
      provider: 'openai',
      model: 'gpt-4o',
      effectiveFrom: 0,
      currency: 'USD',
      prices: { uncachedInput: '2', output: '8' },
    };
    // 1,000 x 2 x 1,000 + 1,000 x 8 x 1,000
    expect(price('gpt-4o', 'gpt-4o-2024-05-13', { ...book, cards: [own] })).toMatchObject({
      ok: true,
      value: { priced_model: 'gpt-4o', rate_card_id: 'acme-gpt-4o', cost: { total_nanos: 10_000_000 } },
    });
    // and a card for the served model wins over it
    const snapshot: RateCard = {
      ...own,
      id: 'acme-snapshot',
      model: 'gpt-4o-2024-05-13',
      prices: { uncachedInput: '4', output: '12' },
    };
    expect(price('gpt-4o', 'gpt-4o-2024-05-13', { ...book, cards: [own, snapshot] })).toMatchObject({
      ok: true,
      value: {
        priced_model: 'gpt-4o-2024-05-13',
        rate_card_id: 'acme-snapshot',
        cost: { total_nanos: 16_000_000 },
      },
    });
  });

  it('an unknown requested model with an unknown served model is UNKNOWN_RATE naming the requested one', () => {
    const outcome = price('gpt-imaginary', 'gpt-imaginary-2026-01-01');
    expect(!outcome.ok && outcome.message).toMatch(
      /no rate card or catalog price for openai\/gpt-imaginary at/,
    );
  });
});
