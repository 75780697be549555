/**
 * Exact decimals of any scale, for values finer than a nano: unit prices per token, FOCUS quantities in
 * millions of tokens, and their products. `units / 10^scale`, BigInt throughout: never a float.
 */
export interface ExactDecimal {
  units: bigint;
  scale: number;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

export function parseExactDecimal(text: string): ExactDecimal {
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a decimal`);
  const [, sign, whole = '0', fraction = ''] = match;
  const units = BigInt(whole + fraction);
  return { units: sign ? -units : units, scale: fraction.length };
}

/** The exact decimal of `units / 10^scale` (a scaled integer), trailing zeros dropped: (1411n, 6) -> "0.001411". */
export function scaledToDecimal(units: bigint, scale: number): string {
  const negative = units < 0n;
  const magnitude = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = magnitude.slice(0, magnitude.length - scale);
  const fraction = magnitude.slice(magnitude.length - scale).replace(/0+$/, '');
  const text = `${whole}${fraction ? `.${fraction}` : ''}`;
  return negative && text !== '0' ? `-${text}` : text;
}

export const formatExactDecimal = (value: ExactDecimal): string => scaledToDecimal(value.units, value.scale);

export const multiplyExact = (a: ExactDecimal, b: ExactDecimal): ExactDecimal => ({
  units: a.units * b.units,
  scale: a.scale + b.scale,
});

/** The product of decimal texts, exact: multiplyDecimals("3", "0.001411", "0.9") -> "0.0038097". */
export function multiplyDecimals(...factors: string[]): string {
  return formatExactDecimal(factors.map(parseExactDecimal).reduce(multiplyExact, { units: 1n, scale: 0 }));
}

/** Whether two decimal texts are the same number ("1.50" equals "1.5"). */
export function decimalsEqual(a: string, b: string): boolean {
  const x = parseExactDecimal(a);
  const y = parseExactDecimal(b);
  const scale = Math.max(x.scale, y.scale);
  return x.units * 10n ** BigInt(scale - x.scale) === y.units * 10n ** BigInt(scale - y.scale);
}
