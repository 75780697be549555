import { isBreakdownDimension, sharePercent, sortBreakdown } from './cost-breakdown';

const row = (value: string, total: bigint, calls = 1n, adjustment = 0n) => ({
  value,
  calls,
  total_nanos: total,
  adjustment_nanos: adjustment,
});

describe('cost breakdown', () => {
  it.each<[bigint, bigint, string]>([
    [1n, 3n, '33.33%'],
    [2n, 3n, '66.67%'],
    [1n, 1n, '100.00%'],
    [0n, 5n, '0.00%'],
    [-1n, 8n, '-12.50%'],
    [1n, 0n, '-'],
  ])('share of %p in %p is %p', (part, whole, expected) => {
    expect(sharePercent(part, whole)).toBe(expected);
  });

  it('sorts by cost, largest first, then by value', () => {
    expect(sortBreakdown([row('b', 5n), row('a', 5n), row('c', 9n)]).map((r) => r.value)).toEqual([
      'c',
      'a',
      'b',
    ]);
  });

  it('knows its dimensions', () => {
    expect(isBreakdownDimension('tenant')).toBe(true);
    expect(isBreakdownDimension('user_ref')).toBe(false);
  });
});
