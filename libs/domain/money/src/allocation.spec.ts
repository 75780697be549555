import { allocateLargestRemainder, parsePercentShare } from './allocation';

describe('allocateLargestRemainder', () => {
  it('splits 100 nanos three ways without losing one', () => {
    const parts = allocateLargestRemainder(100n, [1n, 1n, 1n]);
    expect(parts).toEqual([34n, 33n, 33n]);
  });

  it('gives leftovers to the largest remainders', () => {
    // 10 * 1/6 = 1.67, 10 * 2/6 = 3.33, 10 * 3/6 = 5 -> floors 1,3,5 (9), one nano to the .67
    expect(allocateLargestRemainder(10n, [1n, 2n, 3n])).toEqual([2n, 3n, 5n]);
  });

  it('handles negative totals (credits) symmetrically', () => {
    expect(allocateLargestRemainder(-100n, [1n, 1n, 1n])).toEqual([-34n, -33n, -33n]);
  });

  it('always sums to the total, for many random cases', () => {
    let seed = 42;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let i = 0; i < 500; i++) {
      const total = BigInt(next()) * BigInt(next() % 1000);
      const weights = Array.from({ length: 1 + (next() % 7) }, () => BigInt(next() % 10000));
      if (!weights.some((w) => w > 0n)) weights[0] = 1n;
      const parts = allocateLargestRemainder(total, weights);
      expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
      parts.forEach((part, index) => {
        const exact = (total * (weights[index] ?? 0n)) / weights.reduce((a, b) => a + b, 0n);
        expect(part - exact >= 0n && part - exact <= 1n).toBe(true);
      });
    }
  });

  it('rejects empty, negative or all-zero weights', () => {
    expect(() => allocateLargestRemainder(1n, [])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(1n, [1n, -1n])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(1n, [0n, 0n])).toThrow(RangeError);
  });
});

describe('parsePercentShare', () => {
  it.each([
    [50, 50_000_000n],
    ['33.333333', 33_333_333n],
    [33.333334, 33_333_334n],
    [0.000001, 1n],
    ['100', 100_000_000n],
    [0, 0n],
  ])('%j -> %s micro-percent', (share, micro) => expect(parsePercentShare(share)).toBe(micro));

  it.each([[33.3333333], ['1.0000001'], [-1], ['100.000001'], [101], ['abc'], [1e-7], ['']])(
    'refuses %j',
    (share) => expect(() => parsePercentShare(share)).toThrow(RangeError),
  );
});
