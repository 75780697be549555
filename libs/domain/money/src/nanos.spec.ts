import {
  divideHalfEven,
  formatUsd,
  nanosToDecimal,
  nanosToSafeNumber,
  parseDecimalToNanos,
  sumNanos,
} from './nanos';

describe('parseDecimalToNanos', () => {
  it.each([
    ['2.50', 2_500_000_000n],
    ['0.075', 75_000_000n],
    ['15', 15_000_000_000n],
    ['0.000000001', 1n],
    ['-1.25', -1_250_000_000n],
    ['0.10000000000', 100_000_000n], // trailing zeros beyond 9 places are exact, not rounding
  ])('%s -> %s nanos', (text, nanos) => expect(parseDecimalToNanos(text)).toBe(nanos));

  it.each(['', 'abc', '1e-9', '1.2.3', '0.0000000001'])('rejects %j', (text) => {
    expect(() => parseDecimalToNanos(text)).toThrow(RangeError);
  });
});

describe('divideHalfEven', () => {
  it.each([
    [5n, 2n, 2n], // 2.5 -> 2 (even)
    [7n, 2n, 4n], // 3.5 -> 4 (even)
    [-5n, 2n, -2n],
    [-7n, 2n, -4n],
    [10n, 3n, 3n],
    [11n, 3n, 4n], // 3.67 -> 4
    [1n, -2n, 0n], // -0.5 -> 0
    // 12,304 tokens at $3.75 per 1M: 12304 * 3_750_000_000 / 1e6 = 46,140,000 nanos exactly
    [12_304n * 3_750_000_000n, 1_000_000n, 46_140_000n],
  ])('%s / %s -> %s', (n, d, q) => expect(divideHalfEven(n, d)).toBe(q));

  it('refuses division by zero', () => expect(() => divideHalfEven(1n, 0n)).toThrow(RangeError));
});

describe('formatting and conversion', () => {
  it('prints exact decimals and rounded dollars', () => {
    expect(nanosToDecimal(54_399_000n)).toBe('0.054399');
    expect(nanosToDecimal(-1_000_000_000n)).toBe('-1');
    expect(formatUsd(4_860_000_000_000n)).toBe('$4,860.00');
    expect(formatUsd(5_000_000n)).toBe('$0.00'); // half a cent rounds to even
    expect(formatUsd(15_000_000n)).toBe('$0.02');
    expect(formatUsd(-1_090_000_000_000n)).toBe('-$1,090.00');
  });

  it('sums without floats and guards the Avro range', () => {
    expect(sumNanos([1n, 2n, BigInt(Number.MAX_SAFE_INTEGER)])).toBe(BigInt(Number.MAX_SAFE_INTEGER) + 3n);
    expect(nanosToSafeNumber(9_007_199_254_740_991n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => nanosToSafeNumber(9_007_199_254_740_992n)).toThrow(RangeError);
  });
});
