/**
 * Splits `total` nanos across shares proportionally to integer weights with the largest-remainder
 * method: every part is floor(total * w / W), then the nanos left over go one each to the largest
 * remainders (ties to the earlier share). The parts always sum to `total` exactly: allocation never
 * creates or loses a nano.
 */
export function allocateLargestRemainder(total: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.length === 0) throw new RangeError('allocation needs at least one share');
  if (weights.some((w) => w < 0n)) throw new RangeError('allocation weights must not be negative');
  const weightSum = weights.reduce((a, b) => a + b, 0n);
  if (weightSum === 0n) throw new RangeError('allocation weights sum to zero');
  const negative = total < 0n;
  const magnitude = negative ? -total : total;
  const parts = weights.map((w) => (magnitude * w) / weightSum);
  let leftover = magnitude - parts.reduce((a, b) => a + b, 0n);
  const byRemainder = weights
    .map((w, index) => ({ index, remainder: (magnitude * w) % weightSum }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of byRemainder) {
    if (leftover === 0n) break;
    parts[index] = (parts[index] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return negative ? parts.map((p) => -p) : parts;
}

/** Shares are percentages with at most six decimals ("33.333333"): one micro-percent is the smallest step. */
export const MICRO_PERCENT_PER_PERCENT = 1_000_000n;
const SHARE = /^(\d{1,3})(?:\.(\d{1,6}))?$/;

/**
 * A fixed share in micro-percent (12.5 -> 12_500_000n), read exactly from its decimal text: a YAML
 * number is taken by its shortest decimal form, never multiplied as a float. Throws on more than six
 * decimals, a negative share or one above 100.
 */
export function parsePercentShare(value: number | string): bigint {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = SHARE.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a percentage from 0 to 100 with at most 6 decimals`);
  const [, whole = '0', fraction = ''] = match;
  const micro = BigInt(whole) * MICRO_PERCENT_PER_PERCENT + BigInt(fraction.padEnd(6, '0'));
  if (micro > 100n * MICRO_PERCENT_PER_PERCENT) throw new RangeError(`"${text}" is above 100 percent`);
  return micro;
}
