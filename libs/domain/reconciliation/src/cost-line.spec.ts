import { decimalToNanos, quantityOf, roundingOf, utcDay } from './cost-line';
import { parseJsonExact } from './importers/export-rows';
import { modelKey, meterWords } from './model-names';

describe('exact amounts', () => {
  it.each([
    ['123.45', -2, 1_234_500_000n],
    ['0.000001', -2, 10n],
    ['12.3456789012', 0, 12_345_678_901n],
    ['1.25e-1', 0, 125_000_000n],
    ['-1.5', 0, -1_500_000_000n],
    ['7', 0, 7_000_000_000n],
    ['0.0000000005', 0, 0n],
    ['0.0000000015', 0, 2n],
  ])('%s x 10^%i USD is %s nanos', (text, shift, nanos) => {
    expect(decimalToNanos(text, shift)).toBe(nanos);
  });

  it('refuses what is not a decimal', () => {
    expect(() => decimalToNanos('12,50')).toThrow(RangeError);
    expect(() => decimalToNanos('')).toThrow(RangeError);
  });

  it('JSON numbers keep their written digits (0.1 + 0.2 is never 0.30000000000000004)', () => {
    expect(parseJsonExact('{"a":{"value":0.1},"b":[0.2,"x: 1, y"],"c":true}')).toEqual({
      a: { value: '0.1' },
      b: ['0.2', 'x: 1, y'],
      c: true,
    });
  });

  it('rounding bounds follow the written precision, at most half a cent', () => {
    expect([
      roundingOf('1.23'),
      roundingOf('123.45', -2),
      roundingOf('9'),
      roundingOf('0.1234567891'),
    ]).toEqual([5_000_000n, 50_000n, 5_000_000n, 0n]);
  });

  it('quantities scale by their pricing unit', () => {
    expect([quantityOf('1000', 1000n), quantityOf('0.5', 1_000_000n), quantityOf(undefined)]).toEqual([
      1_000_000n,
      500_000n,
      0n,
    ]);
  });

  it.each([
    ['2026-11-16T23:59:59.900Z', '2026-11-16'],
    ['2026-11-16T23:30:00-01:00', '2026-11-17'],
    ['2026-11-16 00:00:00 UTC', '2026-11-16'],
    ['11/16/2026', '2026-11-16'],
  ])('the UTC day of %s is %s', (text, day) => {
    expect(utcDay(text)).toBe(day);
  });
});

describe('model names across exports', () => {
  it.each([
    ['claude-sonnet-4-6', 'Claude4.6Sonnet'],
    ['gpt-4o', 'gpt-4o-2024-08-06'],
    ['gpt-4o-mini', 'gpt-4o-mini-0718'],
    ['gemini-2.5-flash', 'Gemini 2.5 Flash'],
    ['claude-3-5-haiku', 'us.anthropic.claude-3-5-haiku-20241022-v1:0'],
    ['mistral-large-2411', 'mistral-large-2411'],
  ])('%s and %s are one model', (a, b) => {
    expect(modelKey(a)).toBe(modelKey(b));
  });

  it('keeps different models apart', () => {
    expect(modelKey('gpt-4o-mini')).not.toBe(modelKey('gpt-4o'));
    expect(modelKey('claude-opus-4-6')).not.toBe(modelKey('claude-sonnet-4-6'));
  });

  it('reads token type, tier and scope out of a meter', () => {
    expect(meterWords('gpt-4o-mini-0718-Inp-glbl Tokens')).toEqual({
      model: 'gpt-4o-mini-0718',
      tokenType: 'input',
      serviceTier: null,
      longContext: false,
      inferenceScope: 'global',
    });
    expect(meterWords('Gemini 2.5 Pro Text Input >200K - Predictions').longContext).toBe(true);
  });
});
