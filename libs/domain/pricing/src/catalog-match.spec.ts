import { PriceCatalog } from './catalog';
import { priceEnrichedCall, type RateBook } from './rate-book';
import { enrichedCall } from './spec-builders';

const catalog = new PriceCatalog();
const book: RateBook = { cards: [], multipliers: [], fx: [], catalog };
const at = Date.UTC(2026, 10, 10);
const card = (provider: string, model: string) =>
  catalog.rateCardFor({ provider, model, region: null, serviceTier: null, at });

describe('catalog matches: known aliases and dated versions only', () => {
  it.each([
    ['anthropic', 'claude-sonnet-4-5', 'catalog:anthropic/claude-sonnet-4-5'],
    ['anthropic', 'claude-sonnet-4-5-20250929', 'catalog:anthropic/claude-sonnet-4-5'],
    ['anthropic', 'claude-sonnet-4-5@20250929', 'catalog:anthropic/claude-sonnet-4-5'],
    ['anthropic', 'claude-sonnet-4-20250514', 'catalog:anthropic/claude-sonnet-4-0'],
    ['anthropic', 'claude-3-5-sonnet-latest', 'catalog:anthropic/claude-3-5-sonnet'],
    ['openai', 'gpt-4o-2024-08-06', 'catalog:openai/gpt-4o'],
    ['openai', 'gpt-5-nano-2025-08-07', 'catalog:openai/gpt-5-nano'],
    ['google', 'gemini-2.0-flash-001', 'catalog:google/gemini-2.0-flash'],
    ['google', 'gemini-2.5-pro', 'catalog:google/gemini-2.5-pro'],
    ['mistral', 'mistral-large-2411', 'catalog:mistral/mistral-large'],
    [
      'bedrock',
      'anthropic.claude-haiku-4-5-20251001-v1:0',
      'catalog:aws/regional.anthropic.claude-haiku-4-5-20251001-v1:0',
    ],
    [
      'bedrock',
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'catalog:aws/regional.anthropic.claude-sonnet-4-5-20250929-v1:0',
    ],
  ])('%s/%s is priced by %s', (provider, model, id) => {
    expect(card(provider, model)?.id).toBe(id);
  });

  it.each([
    ['anthropic', 'claude-sonnet-4-5-max'],
    ['anthropic', 'claude-sonnet-4-5-20250929-turbo'],
    ['anthropic', 'claude-opus-4-6-fast'],
    ['google', 'gemini-2.5-pro-ultra'],
    ['google', 'gemini-2.5-flash-lite-preview-xyz'],
  ])('%s/%s, a look-alike the catalog would price by prefix, is unknown', (provider, model) => {
    expect(card(provider, model)).toBeUndefined();
  });

  it('a look-alike is UNKNOWN_RATE, saying which entry matched it only by prefix', () => {
    const outcome = priceEnrichedCall(
      enrichedCall('anthropic', 'claude-sonnet-4-5-max', { uncached_input: 10, output: 10 }),
      book,
      at,
    );
    expect(outcome).toMatchObject({ ok: false, reason: 'UNKNOWN_RATE' });
    expect(!outcome.ok && outcome.message).toMatch(
      /no rate card or catalog price for anthropic\/claude-sonnet-4-5-max at .*: the catalog's claude-sonnet-4-5 matches it only by prefix/,
    );
  });

  it("a user's card still prices a look-alike its pattern names", () => {
    const own: RateBook = {
      ...book,
      cards: [
        {
          id: 'acme-sonnet',
          version: 'v1',
          provider: 'anthropic',
          model: 'claude-sonnet-4-5*',
          effectiveFrom: 0,
          currency: 'USD',
          prices: { uncachedInput: '3', output: '15' },
        },
      ],
    };
    const outcome = priceEnrichedCall(
      enrichedCall('anthropic', 'claude-sonnet-4-5-max', { uncached_input: 10, output: 10 }),
      own,
      at,
    );
    // 10 x 3 x 1,000 + 10 x 15 x 1,000
    expect(outcome).toMatchObject({ ok: true, value: { cost: { total_nanos: 180_000 } } });
  });
});
