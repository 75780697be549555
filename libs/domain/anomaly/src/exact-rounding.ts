/**
 * Turns real-valued terms into integers that sum to `total` exactly: every term is floored, then the
 * nanos still missing (or in excess) go one at a time to the terms with the largest (smallest)
 * fractional remainders, ties to the earlier term. The real terms are first rescaled onto `total` so
 * float error in their sum never leaves more than one nano per term to place.
 */
export function roundToExactSum(terms: readonly number[], total: number): number[] {
  if (!Number.isSafeInteger(total)) throw new RangeError(`total ${total} is not a safe integer of nanos`);
  if (terms.length === 0) {
    if (total !== 0) throw new RangeError('no term to carry a non-zero total');
    return [];
  }
  const realSum = terms.reduce((a, b) => a + b, 0);
  let scaled: number[];
  if (Math.abs(realSum) > 1e-9 && Math.sign(realSum) === Math.sign(total)) {
    const factor = total / realSum;
    scaled = terms.map((t) => t * factor);
  } else {
    // the real terms cancel (or disagree in sign with the total): keep them and let the largest
    // magnitude term absorb the difference, so no term is inflated by a huge factor
    scaled = [...terms];
    const largest = indexOfLargest(scaled);
    scaled[largest] = (scaled[largest] ?? 0) + (total - realSum);
  }
  const floors = scaled.map((t) => Math.floor(t));
  let leftover = total - floors.reduce((a, b) => a + b, 0);
  const order = scaled
    .map((t, index) => ({ index, remainder: t - Math.floor(t) }))
    .sort((a, b) => (b.remainder === a.remainder ? a.index - b.index : b.remainder - a.remainder));
  const step = leftover > 0 ? 1 : -1;
  const sequence = step > 0 ? order : [...order].reverse();
  for (let i = 0; leftover !== 0; i++) {
    const target = sequence[i % sequence.length]!.index;
    floors[target] = floors[target]! + step;
    leftover -= step;
  }
  return floors;
}

function indexOfLargest(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (Math.abs(values[i]!) > Math.abs(values[best]!)) best = i;
  return best;
}

/** Basis points of `part` in `whole`, rounded half away from zero; 0 when the whole is 0. */
export function shareBp(part: number, whole: number): number {
  if (whole === 0) return 0;
  return Math.round((part / whole) * 10_000);
}
