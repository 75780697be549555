import { COST_COLUMNS } from '@tokentally/domain-ledger';
import { PriceCatalog } from './catalog';
import { priceCall } from './price-call';
import type { RateCard } from './rate-card';
import { priceCallInSafeIntegers } from './safe-integer-pricing';
import { buckets, card } from './spec-builders';

const catalog = new PriceCatalog();
const at = Date.UTC(2026, 10, 10);
const catalogCards = [
  ['openai', 'gpt-4o'],
  ['openai', 'o3'],
  ['anthropic', 'claude-sonnet-4-5'],
  ['anthropic', 'claude-opus-4-1'],
  ['google', 'gemini-2.5-pro'],
  ['google', 'gemini-2.5-flash'],
  ['bedrock', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
].map(([provider, model]) => {
  const found = catalog.rateCardFor({
    provider: provider as string,
    model: model as string,
    region: null,
    serviceTier: null,
    at,
  });
  if (!found) throw new Error(`catalog has no ${provider}/${model}`);
  return found;
});

const cards: RateCard[] = [
  ...catalogCards,
  // no cache prices: every cache bucket falls back to input
  card({ uncachedInput: '0.15', output: '0.6' }),
  // reasoning priced apart, a per-request fee and a unit
  card({
    uncachedInput: '1.1',
    cacheRead: '0.275',
    output: '4.4',
    reasoning: '12',
    perRequest: '0.002',
    units: { web_search_requests: '0.01' },
  }),
  // prices finer than a cent per 1M and two cliffs, the higher one first, one keeping the base fee
  card(
    { uncachedInput: '0.0375', cacheWrite5m: '0.046875', output: '0.15', perRequest: '0.000001' },
    {
      tiers: [
        {
          inputTokensAbove: 1_000_000,
          name: 'above_1m',
          prices: { uncachedInput: '0.3', output: '1.2', units: { web_search_requests: '0.02' } },
        },
        { inputTokensAbove: 128_000, name: 'above_128k', prices: { uncachedInput: '0.075', output: '0.3' } },
      ],
    },
  ),
];

const asNumbers = (p: ReturnType<typeof priceCall>) => ({
  cost: Object.fromEntries(COST_COLUMNS.map((column) => [column, Number(p.cost[column])])),
  tier: p.tier,
});

describe('priceCallInSafeIntegers', () => {
  let seed = 11;
  const next = (limit: number): number => {
    seed = (seed * 48271) % 2147483647;
    return seed % limit;
  };
  // token counts from 0 to ~2M (past every cliff), often 0, sometimes exactly on a threshold
  const count = (): number => {
    const pick = next(10);
    if (pick === 0) return 0;
    if (pick === 1) return [128_000, 200_000, 1_000_000][next(3)] as number;
    return next(pick < 6 ? 5_000 : 2_000_000);
  };
  const samples = Array.from({ length: 2_000 }, () => {
    const output = count();
    return buckets({
      uncached_input: count(),
      cache_read: count(),
      cache_write_5m: count(),
      cache_write_1h: count(),
      output,
      reasoning: output === 0 ? 0 : next(output + 1),
      units: next(4) === 0 ? { web_search_requests: next(5) } : {},
    });
  });

  it('gives exactly the BigInt reference for every card and call it accepts', () => {
    let compared = 0;
    for (const rateCard of cards)
      for (const b of samples) {
        let reference: ReturnType<typeof asNumbers> | Error;
        try {
          reference = asNumbers(priceCall(b, rateCard));
        } catch (error) {
          reference = error as Error;
        }
        const fast = priceCallInSafeIntegers(b, rateCard);
        if (reference instanceof Error) {
          expect(fast).toBeUndefined();
          continue;
        }
        expect(fast).toEqual(reference);
        compared += 1;
      }
    // only calls with a unit the card has no price for are refused; every other one is compared
    expect(compared).toBeGreaterThan(cards.length * samples.length * 0.9);
  });

  it('rounds half to even at the exact half nano', () => {
    // 1 token at $0.0005 per 1M = 0.5 nano -> 0; 3 tokens = 1.5 nanos -> 2
    const half = card({ uncachedInput: '0.0005', output: '0.0015' });
    expect(priceCallInSafeIntegers(buckets({ uncached_input: 1, output: 1 }), half)).toMatchObject({
      cost: { uncached_input_nanos: 0, output_nanos: 2, total_nanos: 2 },
    });
  });

  it('leaves to the BigInt reference what it cannot do exactly or must refuse', () => {
    const gpt = card({ uncachedInput: '2.5', output: '10', reasoning: '10' });
    // 4e6 tokens x 2.5e9 nanos per 1M = 1e16 is past 2^53, yet the split price keeps it exact
    expect(priceCallInSafeIntegers(buckets({ uncached_input: 4_000_000 }), gpt)?.cost.total_nanos).toBe(
      10_000_000_000,
    );
    expect(priceCall(buckets({ uncached_input: 4_000_000 }), gpt).cost.total_nanos).toBe(10_000_000_000n);
    // a count whose cost passes 2^53 nanos ($9M) is BigInt's to do (and to refuse on the event)
    expect(priceCallInSafeIntegers(buckets({ output: 2 ** 50 }), gpt)).toBeUndefined();
    // reasoning above output, a fractional count, an unpriced unit: the reference decides
    expect(priceCallInSafeIntegers(buckets({ output: 1, reasoning: 2 }), gpt)).toBeUndefined();
    expect(priceCallInSafeIntegers(buckets({ uncached_input: 1.5 }), gpt)).toBeUndefined();
    expect(priceCallInSafeIntegers(buckets({ units: { code_hours: 1 } }), gpt)).toBeUndefined();
    expect(() => priceCall(buckets({ units: { code_hours: 1 } }), gpt)).toThrow(/no price for unit/);
  });
});
