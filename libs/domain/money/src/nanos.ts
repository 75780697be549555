/**
 * Money is an integer number of nano-USD (1e-9 USD) held as BigInt while computing; events carry it
 * as Avro long (JS number, exact up to 2^53-1 nanos, about $9.0M per value) and Postgres as bigint.
 * No float ever takes part in a sum. See docs/adr/0003-money-as-integer-nano-usd.md.
 */
export const NANOS_PER_UNIT = 1_000_000_000n;
const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Parses an exact decimal amount ("2.50", "0.075", "-1") into nanos; more than 9 decimals is an error, never a rounding. */
export function parseDecimalToNanos(text: string): bigint {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new RangeError(`"${text}" is not a decimal amount`);
  const [, sign, whole = '0', fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > 9)
    throw new RangeError(`"${text}" has more than 9 decimal places (finer than a nano)`);
  const nanos = BigInt(whole) * NANOS_PER_UNIT + BigInt(significant.padEnd(9, '0') || '0');
  return sign ? -nanos : nanos;
}

/** numerator / denominator rounded half to even (banker's rounding), the one rounding rule of the ledger. */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  if (denominator < 0n) return divideHalfEven(-numerator, -denominator);
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / denominator;
  const twiceRemainder = (magnitude % denominator) * 2n;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n))
    quotient += 1n;
  return negative ? -quotient : quotient;
}

/** Exact decimal text of a nano amount, e.g. 1234500000n -> "1.2345". */
export function nanosToDecimal(nanos: bigint): string {
  const negative = nanos < 0n;
  const magnitude = negative ? -nanos : nanos;
  const whole = magnitude / NANOS_PER_UNIT;
  const fraction = (magnitude % NANOS_PER_UNIT).toString().padStart(9, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Display form, rounded half-even to cents: 4860000000000n -> "$4,860.00". Never used in sums. */
export function formatUsd(nanos: bigint): string {
  const cents = divideHalfEven(nanos, 10_000_000n);
  const negative = cents < 0n;
  const magnitude = negative ? -cents : cents;
  const dollars = (magnitude / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}$${dollars}.${(magnitude % 100n).toString().padStart(2, '0')}`;
}

export function sumNanos(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}

/** Converts for an Avro long field; fails loudly instead of losing precision above 2^53-1. */
export function nanosToSafeNumber(nanos: bigint): number {
  if (nanos > BigInt(Number.MAX_SAFE_INTEGER) || nanos < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${nanos} nanos exceeds the exact range of an event field (2^53-1)`);
  }
  return Number(nanos);
}
