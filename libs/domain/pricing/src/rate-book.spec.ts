import { PriceCatalog } from './catalog';
import { resolvePricing, resolvePricingCached, type RateBook } from './rate-book';
import type { CallScope, RateCard, RateMultiplier } from './rate-card';

const DAY = 86_400_000;
const NOV = (day: number): number => Date.UTC(2026, 10, day);
const v = { version: 'v1' };

const cards: RateCard[] = [
  {
    ...v,
    id: 'sonnet-negotiated',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5*',
    effectiveFrom: NOV(15),
    currency: 'USD',
    prices: { uncachedInput: '2.4', output: '12' },
  },
  {
    ...v,
    id: 'sonnet-trial-window',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    effectiveFrom: NOV(5),
    effectiveTo: NOV(8),
    currency: 'USD',
    prices: { uncachedInput: '1', output: '5' },
  },
  {
    ...v,
    id: 'gpt-eu',
    provider: 'openai',
    model: 'gpt-4o',
    region: 'eu',
    effectiveFrom: NOV(3),
    currency: 'EUR',
    prices: { uncachedInput: '2.3', output: '9.2' },
  },
];
const multipliers: RateMultiplier[] = [
  {
    ...v,
    id: 'anthropic-discount',
    provider: 'anthropic',
    model: 'claude-*',
    effectiveFrom: NOV(10),
    effectiveTo: NOV(20),
    factor: '0.9',
    appliesTo: 'tokens',
  },
  {
    ...v,
    id: 'openai-batch',
    provider: 'openai',
    model: '*',
    serviceTier: 'batch',
    effectiveFrom: 0,
    factor: '0.5',
    appliesTo: 'tokens',
  },
];
const book: RateBook = {
  cards,
  multipliers,
  fx: [
    { id: 'EUR@1', currency: 'EUR', effectiveFrom: NOV(1), usdPerUnit: '1.05' },
    { id: 'EUR@12', currency: 'EUR', effectiveFrom: NOV(12), usdPerUnit: '1.08' },
  ],
  catalog: new PriceCatalog(),
};

const scopes: Omit<CallScope, 'at'>[] = [
  { provider: 'anthropic', model: 'claude-sonnet-4-5', region: null, serviceTier: null },
  { provider: 'anthropic', model: 'claude-sonnet-4-5-20250929', region: null, serviceTier: 'default' },
  { provider: 'anthropic', model: 'claude-opus-4-6', region: null, serviceTier: null },
  { provider: 'openai', model: 'gpt-4o', region: 'eu', serviceTier: null },
  { provider: 'openai', model: 'gpt-4o', region: 'eu', serviceTier: 'batch' },
  { provider: 'openai', model: 'gpt-4o', region: null, serviceTier: null },
  { provider: 'openai', model: 'no-such-model', region: null, serviceTier: null },
];

describe('resolvePricingCached', () => {
  it('resolves exactly as resolvePricing at every instant, on and around each boundary', () => {
    const boundaries = [NOV(1), NOV(3), NOV(5), NOV(8), NOV(10), NOV(12), NOV(15), NOV(20)];
    // the catalog's own dated prices (Opus 4.6's surcharge ends 2026-03-13) are boundaries too
    boundaries.push(Date.UTC(2026, 2, 13));
    const instants = boundaries.flatMap((b) => [b - 1, b, b + 1]);
    for (let at = Date.UTC(2026, 1, 1); at < NOV(30); at += DAY / 3) instants.push(at);
    // visit in a shuffled order so segments are filled out of time order
    let seed = 5;
    for (let i = instants.length - 1; i > 0; i -= 1) {
      seed = (seed * 48271) % 2147483647;
      const j = seed % (i + 1);
      [instants[i], instants[j]] = [instants[j] as number, instants[i] as number];
    }
    let compared = 0;
    for (const scope of scopes)
      for (const at of instants) {
        const call = { ...scope, at };
        expect(resolvePricingCached(book, call)).toEqual(resolvePricing(book, call));
        compared += 1;
      }
    expect(compared).toBeGreaterThan(1000);
  });

  it('keeps each book to itself: a corrected book resolves afresh', () => {
    const call = { ...scopes[0]!, at: NOV(6) };
    const first = resolvePricingCached(book, call);
    expect('card' in first && first.card.id).toBe('sonnet-trial-window');
    const corrected: RateBook = { ...book, cards: cards.filter((c) => c.id !== 'sonnet-trial-window') };
    const second = resolvePricingCached(corrected, call);
    expect('card' in second && second.card.id).toMatch(/^catalog:/);
  });

  it('tells a problem at the call time each time, never from a cached answer', () => {
    const unknown = { ...scopes[6]!, at: NOV(2) };
    expect(resolvePricingCached(book, unknown)).toEqual({
      problem: 'no rate card or catalog price for openai/no-such-model at 2026-11-02T00:00:00.000Z',
    });
    expect(resolvePricingCached(book, { ...unknown, at: NOV(4) })).toEqual({
      problem: 'no rate card or catalog price for openai/no-such-model at 2026-11-04T00:00:00.000Z',
    });
  });
});
