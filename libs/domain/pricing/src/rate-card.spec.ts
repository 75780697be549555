import { resolveRateCard, type RateCard } from './rate-card';

const oct = (day: number): number => Date.UTC(2026, 9, day);
const base = { version: '1', currency: 'USD', prices: { uncachedInput: '2.50', output: '10.00' } };
const cards: RateCard[] = [
  {
    ...base,
    id: 'catalog-gpt-4o',
    provider: 'openai',
    model: 'gpt-4o',
    effectiveFrom: oct(1) - 365 * 86_400_000,
  },
  { ...base, id: 'catalog-gpt-4o*', provider: 'openai', model: 'gpt-4o*', effectiveFrom: 0 },
  {
    ...base,
    id: 'negotiated-oct-15',
    provider: 'openai',
    model: 'gpt-4o',
    effectiveFrom: oct(15),
    prices: { uncachedInput: '2.00', output: '8.00' },
  },
  {
    ...base,
    id: 'batch',
    provider: 'openai',
    model: 'gpt-4o',
    serviceTier: 'batch',
    effectiveFrom: 0,
    prices: { uncachedInput: '1.25', output: '5.00' },
  },
  {
    ...base,
    id: 'bedrock-us',
    provider: 'bedrock',
    model: 'anthropic.claude*',
    region: 'us-east-1',
    effectiveFrom: 0,
  },
  { ...base, id: 'bedrock-any', provider: 'bedrock', model: 'anthropic.claude*', effectiveFrom: 0 },
];
const call = (overrides: Partial<Parameters<typeof resolveRateCard>[1]>) => ({
  provider: 'openai',
  model: 'gpt-4o',
  region: null,
  serviceTier: null,
  at: oct(10),
  ...overrides,
});

describe('resolveRateCard', () => {
  it('prices at the call time: a negotiated rate effective mid-month applies from that day on', () => {
    expect(resolveRateCard(cards, call({ at: oct(14) }))?.id).toBe('catalog-gpt-4o');
    expect(resolveRateCard(cards, call({ at: oct(15) }))?.id).toBe('negotiated-oct-15');
  });

  it('prefers the most specific scope: exact model over pattern, region and tier over none', () => {
    expect(resolveRateCard(cards, call({ model: 'gpt-4o-2024-08-06' }))?.id).toBe('catalog-gpt-4o*');
    expect(resolveRateCard(cards, call({ serviceTier: 'batch', at: oct(20) }))?.id).toBe('batch');
    expect(
      resolveRateCard(
        cards,
        call({ provider: 'bedrock', model: 'anthropic.claude-haiku-4-5', region: 'us-east-1' }),
      )?.id,
    ).toBe('bedrock-us');
    expect(
      resolveRateCard(
        cards,
        call({ provider: 'bedrock', model: 'anthropic.claude-haiku-4-5', region: 'eu-west-1' }),
      )?.id,
    ).toBe('bedrock-any');
  });

  it('finds nothing rather than guessing (the pricer quarantines UNKNOWN_RATE)', () => {
    expect(resolveRateCard(cards, call({ model: 'o3' }))).toBeUndefined();
    expect(resolveRateCard(cards, call({ at: -1 }))).toBeUndefined();
  });
});
