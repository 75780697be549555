import { decompose, type Factor } from './decomposition';
import { roundToExactSum } from './exact-rounding';
import { cellsOf, fact, seeded, times } from './spec-builders';
import { totalCost } from './call-fact';

const base = times(100, () => fact());

describe('decompose: the primary driver names the cause', () => {
  const cases: {
    name: string;
    observed: ReturnType<typeof fact>[];
    factor: Factor;
    dimension: string;
    key: string;
  }[] = [
    {
      name: 'twice the requests',
      observed: times(200, () => fact()),
      factor: 'traffic',
      dimension: 'workflow',
      key: 'ask',
    },
    {
      name: 'prompts three times bigger',
      observed: times(100, () =>
        fact({ input_tokens: 3000, input_nanos: 15_000_000, cost_nanos: 20_000_000 }),
      ),
      factor: 'prompt_size',
      dimension: 'workflow',
      key: 'ask',
    },
    {
      name: 'answers three times longer',
      observed: times(100, () => fact({ output_tokens: 600, cost_nanos: 20_000_000 })),
      factor: 'output_size',
      dimension: 'workflow',
      key: 'ask',
    },
    {
      name: 'a rate card doubled',
      observed: times(100, () =>
        fact({ input_nanos: 10_000_000, cost_nanos: 20_000_000, rate_card: 'openai:v2' }),
      ),
      factor: 'price',
      dimension: 'model',
      key: 'openai/gpt-4o',
    },
    {
      name: 'a retry storm',
      observed: [...base, ...times(150, () => fact({ is_retry: true }))],
      factor: 'retries',
      dimension: 'workflow',
      key: 'ask',
    },
    {
      name: 'a new feature',
      observed: [...base, ...times(150, () => fact({ feature: 'summaries', workflow: 'digest' }))],
      factor: 'new_entity',
      dimension: 'feature',
      key: 'summaries',
    },
    {
      name: 'half the calls moved to a pricier model the team already uses',
      observed: [
        ...times(50, () => fact()),
        ...times(50, () => fact({ model: 'o1', input_nanos: 40_000_000, cost_nanos: 80_000_000 })),
      ],
      factor: 'model_mix',
      dimension: 'model',
      key: 'openai/o1',
    },
  ];
  const baseWithO1 = [
    ...base,
    fact({ workflow: 'other', model: 'o1', input_nanos: 40_000_000, cost_nanos: 80_000_000 }),
  ];

  it.each(cases)('$name -> $factor', ({ observed, factor, dimension, key }) => {
    const baseline = factor === 'model_mix' ? cellsOf(baseWithO1) : cellsOf(base);
    const result = decompose(cellsOf(observed), baseline, totalCost(baseline));
    expect(result.primary).toMatchObject({ factor, dimension, key });
    expect(result.drivers.reduce((a, d) => a + d.nanos, 0)).toBe(result.delta_nanos);
  });

  it('a new template version in the carrier is named', () => {
    const before = times(100, () => fact({ prompt_template_version: 'v6' }));
    const after = times(100, () =>
      fact({
        prompt_template_version: 'v7',
        input_tokens: 4000,
        input_nanos: 20_000_000,
        cost_nanos: 25_000_000,
      }),
    );
    const result = decompose(cellsOf(after), cellsOf(before), totalCost(cellsOf(before)));
    expect(result.primary).toMatchObject({ factor: 'prompt_size', key: 'ask', template: 'v7' });
  });
});

describe('decompose: exact to the nano (property)', () => {
  it('terms sum to observed - baseline for 200 random pairs of windows', () => {
    const random = seeded(42);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const randomFacts = (n: number) =>
      times(n, () => {
        const input = Math.floor(random() * 5000);
        const output = Math.floor(random() * 1000);
        const inputNanos = Math.floor(input * random() * 20);
        return fact({
          feature: pick(['a', 'b', 'c']),
          workflow: pick(['', 'w1', 'w2']),
          model: pick(['m1', 'm2', 'm3']),
          is_retry: random() < 0.1,
          input_tokens: input,
          output_tokens: output,
          input_nanos: inputNanos,
          cost_nanos: inputNanos + Math.floor(output * random() * 60),
        });
      });
    for (let i = 0; i < 200; i++) {
      const observed = cellsOf(randomFacts(Math.floor(random() * 40)));
      const baseline = cellsOf(randomFacts(Math.floor(random() * 40)));
      const baselineNanos = Math.round(totalCost(baseline) * (0.5 + random()));
      const result = decompose(observed, baseline, baselineNanos);
      const sum = result.drivers.reduce((a, d) => a + d.nanos, 0);
      expect(sum).toBe(totalCost(observed) - baselineNanos);
      for (const d of result.drivers) expect(Number.isSafeInteger(d.nanos)).toBe(true);
    }
  });
});

describe('roundToExactSum', () => {
  it.each([
    { terms: [0.5, 0.5], total: 1, expected: [1, 0] },
    { terms: [1.2, 2.3, 3.5], total: 7, expected: [1, 2, 4] },
    { terms: [-1.5, 3.5], total: 2, expected: [-1, 3] },
    { terms: [0, 0], total: 5, expected: [5, 0] },
    { terms: [10, -10], total: 3, expected: [13, -10] },
  ])('$terms -> $total', ({ terms, total, expected }) => {
    const out = roundToExactSum(terms, total);
    expect(out.reduce((a, b) => a + b, 0)).toBe(total);
    expect(out).toEqual(expected);
  });
});
