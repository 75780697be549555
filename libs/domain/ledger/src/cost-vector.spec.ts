import {
  COST_COLUMNS,
  ZERO_COST,
  addCosts,
  costComponentsOf,
  costDelta,
  costVectorOf,
  isBalanced,
  isZeroCost,
  type CostVector,
} from './cost-vector';

const cost = (total: bigint, output = total): CostVector => ({
  ...ZERO_COST,
  output_nanos: output,
  total_nanos: total,
});

describe('cost vectors', () => {
  it('lists every component then the total, as the ledger columns are named', () => {
    expect(COST_COLUMNS).toEqual([
      'uncached_input_nanos',
      'cache_read_nanos',
      'cache_write_5m_nanos',
      'cache_write_1h_nanos',
      'output_nanos',
      'reasoning_nanos',
      'request_fee_nanos',
      'units_nanos',
      'total_nanos',
    ]);
  });

  it('converts a priced event cost to exact integers', () => {
    const vector = costVectorOf({
      ...Object.fromEntries(COST_COLUMNS.map((c) => [c, 0])),
      output_nanos: 9_007_199_254_740_991,
      total_nanos: 9_007_199_254_740_991,
    } as never);
    expect(vector.output_nanos).toBe(9_007_199_254_740_991n);
    expect(isBalanced(vector)).toBe(true);
  });

  it.each<[CostVector, CostVector, CostVector]>([
    [cost(10n), cost(4n), cost(6n)],
    [cost(4n), cost(10n), cost(-6n)],
    [cost(5n), cost(5n), ZERO_COST],
  ])('delta and sum are inverse: %#', (to, from, delta) => {
    expect(costDelta(to, from)).toEqual(delta);
    expect(addCosts(from, delta)).toEqual(to);
  });

  it('knows a zero cost and an unbalanced one', () => {
    expect(isZeroCost(ZERO_COST)).toBe(true);
    expect(isZeroCost(cost(1n))).toBe(false);
    expect(isBalanced(cost(2n, 1n))).toBe(false);
  });

  it('turns an exact cost into the numbers of a priced event and back, refusing what a number cannot hold', () => {
    const exact = cost(7n, 7n);
    expect(costVectorOf(costComponentsOf(exact))).toEqual(exact);
    expect(() => costComponentsOf({ ...exact, total_nanos: 2n ** 53n })).toThrow(/total_nanos .* exceeds/);
  });
});
