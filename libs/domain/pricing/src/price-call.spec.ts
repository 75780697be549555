import { priceCall, type PricedComponents } from './price-call';
import { buckets, card } from './spec-builders';

/** The components added up here, apart from priceCall's own total. */
const sumOfComponents = ({ cost: p }: PricedComponents): bigint =>
  p.uncached_input_nanos +
  p.cache_read_nanos +
  p.cache_write_5m_nanos +
  p.cache_write_1h_nanos +
  p.output_nanos +
  p.reasoning_nanos +
  p.request_fee_nanos +
  p.units_nanos;

const sonnet = card(
  {
    uncachedInput: '3.00',
    cacheRead: '0.30',
    cacheWrite5m: '3.75',
    cacheWrite1h: '6.00',
    output: '15.00',
    units: { web_search_requests: '0.01' },
  },
  {
    tiers: [
      {
        name: 'long_context',
        inputTokensAbove: 200_000,
        prices: {
          uncachedInput: '6.00',
          cacheRead: '0.60',
          cacheWrite5m: '7.50',
          cacheWrite1h: '12.00',
          output: '22.50',
        },
      },
    ],
  },
);

describe('priceCall (golden, by hand)', () => {
  it('Anthropic Sonnet 4.5: 3 input + 12,304 cache-write + 550 output = $0.054399', () => {
    // 3 x 3.00/1M = 9,000 nanos; 12,304 x 3.75/1M = 46,140,000; 550 x 15.00/1M = 8,250,000 -> 54,399,000
    const priced = priceCall(buckets({ uncached_input: 3, cache_write_5m: 12_304, output: 550 }), sonnet);
    expect(priced).toMatchObject({
      cost: {
        uncached_input_nanos: 9_000n,
        cache_write_5m_nanos: 46_140_000n,
        output_nanos: 8_250_000n,
        total_nanos: 54_399_000n,
      },
      tier: null,
    });
  });

  it('OpenAI gpt-4o with cache reads: cached tokens are billed once, at the cache rate', () => {
    // 86 x 2.50 = 215,000; 1,920 x 1.25 = 2,400,000; 300 x 10.00 = 3,000,000 -> 5,615,000
    const gpt4o = card({ uncachedInput: '2.50', cacheRead: '1.25', output: '10.00' });
    expect(
      priceCall(buckets({ uncached_input: 86, cache_read: 1_920, output: 300, reasoning: 192 }), gpt4o).cost
        .total_nanos,
    ).toBe(5_615_000n);
  });

  it('long-context tier is a cliff on the whole input, cache included', () => {
    // 50,000 x 6.00 = 300,000,000; 200,000 x 0.60 = 120,000,000; 1,000 x 22.50 = 22,500,000 -> 442,500,000
    const above = priceCall(buckets({ uncached_input: 50_000, cache_read: 200_000, output: 1_000 }), sonnet);
    expect(above).toMatchObject({ cost: { total_nanos: 442_500_000n }, tier: 'long_context' });
    // exactly 200,000 is not above: 1,000 x 3.00 = 3,000,000; 199,000 x 0.30 = 59,700,000; 1,000 x 15 = 15,000,000
    const at = priceCall(buckets({ uncached_input: 1_000, cache_read: 199_000, output: 1_000 }), sonnet);
    expect(at).toMatchObject({ cost: { total_nanos: 77_700_000n }, tier: null });
  });

  it('1-hour cache writes, priced units and a per-request fee', () => {
    // 2,000 x 6.00 = 12,000,000; 2 searches x 0.01 = 20,000,000; fee 0.0004 = 400,000 -> 32,400,000
    const priced = priceCall(buckets({ cache_write_1h: 2_000, units: { web_search_requests: 2 } }), {
      ...sonnet,
      prices: { ...sonnet.prices, perRequest: '0.0004' },
    });
    expect(priced).toMatchObject({
      cost: {
        cache_write_1h_nanos: 12_000_000n,
        units_nanos: 20_000_000n,
        request_fee_nanos: 400_000n,
        total_nanos: 32_400_000n,
      },
    });
  });

  it('rounds each component once, half to even', () => {
    // 500 nanos per 1M tokens: 1,000 tokens -> 0.5 nano -> 0 (even); 3,000 tokens -> 1.5 -> 2 (even)
    const tiny = card({ uncachedInput: '0.0000005', output: '0.0000005' });
    expect(priceCall(buckets({ uncached_input: 1_000, output: 3_000 }), tiny)).toMatchObject({
      cost: {
        uncached_input_nanos: 0n,
        output_nanos: 2n,
        total_nanos: 2n,
      },
    });
  });

  it('prices reasoning apart only when the card says so', () => {
    // output 1,000 of which 400 reasoning: 600 x 10.00 = 6,000,000 + 400 x 12.00 = 4,800,000
    const apart = card({ uncachedInput: '1', output: '10.00', reasoning: '12.00' });
    expect(priceCall(buckets({ output: 1_000, reasoning: 400 }), apart)).toMatchObject({
      cost: {
        output_nanos: 6_000_000n,
        reasoning_nanos: 4_800_000n,
        total_nanos: 10_800_000n,
      },
    });
  });

  it('never prices a unit it has no rate for at zero', () => {
    expect(() => priceCall(buckets({ units: { code_execution_hours: 1 } }), sonnet)).toThrow(
      /no price for unit "code_execution_hours"/,
    );
  });
});

describe('priceCall properties', () => {
  const gpt = card({
    uncachedInput: '2.50',
    cacheRead: '1.25',
    cacheWrite5m: '3.125',
    cacheWrite1h: '5',
    output: '10.00',
  });
  let seed = 7;
  const next = (): number => (seed = (seed * 48271) % 2147483647) % 500_000;
  const samples = Array.from({ length: 300 }, () =>
    buckets({
      uncached_input: next(),
      cache_read: next(),
      cache_write_5m: next(),
      cache_write_1h: next(),
      output: next(),
    }),
  );

  it('total is exactly the sum of its components, in BigInt', () => {
    for (const b of samples) {
      const p = priceCall(b, gpt);
      expect(typeof p.cost.total_nanos).toBe('bigint');
      expect(p.cost.total_nanos).toBe(sumOfComponents(p));
    }
  });

  it('cost never decreases when any bucket grows', () => {
    for (const b of samples.slice(0, 60)) {
      const base = priceCall(b, gpt).cost.total_nanos;
      for (const key of [
        'uncached_input',
        'cache_read',
        'cache_write_5m',
        'cache_write_1h',
        'output',
      ] as const) {
        expect(priceCall({ ...b, [key]: b[key] + 1_000 }, gpt).cost.total_nanos >= base).toBe(true);
      }
    }
  });

  it('no float in money: every component is a BigInt, also with a multiplier and an FX rate', () => {
    const adjustments = { multiplier: '0.87', multiplierAppliesTo: 'all' as const, usdPerUnit: '1.0825' };
    for (const b of samples.slice(0, 100)) {
      const p = priceCall({ ...b, units: { web_search_requests: b.output % 7 } }, sonnet, adjustments);
      const { tier, cost, originalTotal } = p;
      expect(tier === null || typeof tier === 'string').toBe(true);
      for (const value of [...Object.values(cost), originalTotal]) expect(typeof value).toBe('bigint');
      expect(p.cost.total_nanos).toBe(sumOfComponents(p));
    }
  });

  it('cost never decreases when a multiplier or an FX rate grows', () => {
    for (const b of samples.slice(0, 60)) {
      const low = priceCall(b, gpt, { multiplier: '0.9', usdPerUnit: '1.01' }).cost.total_nanos;
      expect(priceCall(b, gpt, { multiplier: '0.91', usdPerUnit: '1.01' }).cost.total_nanos >= low).toBe(
        true,
      );
      expect(priceCall(b, gpt, { multiplier: '0.9', usdPerUnit: '1.02' }).cost.total_nanos >= low).toBe(true);
    }
  });
});
