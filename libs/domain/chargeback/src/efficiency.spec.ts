import {
  modelEfficiency,
  premiumModels,
  type EfficiencyCallRow,
  type EfficiencyTraceRow,
} from './efficiency';

const calls = (model: string, feature: string, over: Partial<EfficiencyCallRow> = {}): EfficiencyCallRow => ({
  model,
  feature,
  calls: 10n,
  total_nanos: 1_000_000_000n,
  input_tokens: 8_000n,
  cache_read_tokens: 2_000n,
  output_tokens: 2_000n,
  uncached_input_tokens: 6_000n,
  uncached_input_nanos: 6_000n * 3_000n,
  short_calls: 0n,
  short_nanos: 0n,
  ...over,
});
const traces = (
  model: string,
  feature: string,
  t: bigint,
  ok: bigint,
  nanos: bigint,
): EfficiencyTraceRow => ({
  model,
  feature,
  traces: t,
  succeeded_traces: ok,
  trace_nanos: nanos,
});

describe('modelEfficiency', () => {
  it('divides every attempt of a trace by the traces that succeeded, exactly (half-even nanos)', () => {
    const result = modelEfficiency(
      [calls('gpt-4o', 'answers', { calls: 12n, total_nanos: 1_200_000_001n })],
      [traces('gpt-4o', 'answers', 10n, 3n, 1_200_000_001n)],
    );
    expect(result.lines).toEqual([
      {
        model: 'gpt-4o',
        feature: 'answers',
        premium: true,
        calls: 12n,
        total_nanos: 1_200_000_001n,
        cost_per_request_nanos: 100_000_000n,
        traces: 10n,
        succeeded_traces: 3n,
        cost_per_success_nanos: 400_000_000n,
        tokens_per_request: 833n, // (8000 + 2000) / 12 = 833.3
        cache_hit_percent: '25.0',
        short_calls: 0n,
      },
    ]);
  });

  it('has no cost per success when no trace succeeded, and no ratios without calls', () => {
    const [line] = modelEfficiency(
      [
        calls('m', 'f', {
          calls: 0n,
          total_nanos: 0n,
          input_tokens: 0n,
          cache_read_tokens: 0n,
          output_tokens: 0n,
        }),
      ],
      [traces('m', 'f', 4n, 0n, 9n)],
    ).lines;
    expect(line).toMatchObject({
      cost_per_request_nanos: null,
      cost_per_success_nanos: null,
      tokens_per_request: null,
      cache_hit_percent: null,
    });
  });

  it('counts premium models on short calls: by observed uncached input price per token', () => {
    const rows = [
      calls('claude-opus', 'classify', {
        short_calls: 30n,
        short_nanos: 90n,
        uncached_input_nanos: 6_000n * 15_000n,
      }),
      calls('gpt-4o-mini', 'classify', {
        short_calls: 70n,
        short_nanos: 7n,
        uncached_input_nanos: 6_000n * 150n,
      }),
      calls('gpt-4o', 'answers', { uncached_input_nanos: 6_000n * 2_500n }),
    ];
    expect([...premiumModels(rows)].sort()).toEqual(['claude-opus', 'gpt-4o']);
    expect(modelEfficiency(rows, [])).toMatchObject({
      premium_models: ['claude-opus', 'gpt-4o'],
      short_calls: 100n,
      premium_short_calls: 30n,
      premium_short_percent: '30.0',
      premium_short_nanos: 90n,
    });
  });

  it('lists lines dearest first, including traces whose first model made no call in the rows', () => {
    const result = modelEfficiency(
      [calls('a', 'x', { total_nanos: 5n }), calls('b', 'x', { total_nanos: 50n })],
      [traces('c', 'x', 1n, 1n, 3n)],
    );
    expect(result.lines.map((l) => l.model)).toEqual(['b', 'a', 'c']);
    expect(result.lines[2]).toMatchObject({ calls: 0n, cost_per_success_nanos: 3n });
  });
});
