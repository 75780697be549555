/**
 * What a period's cost can be broken down by (`tally report --by`): the envelope dimensions the rollups
 * keep (template version, tenant, owner source, provider account) and the usual owners and models.
 */
export const BREAKDOWN_DIMENSIONS = [
  'template_version',
  'tenant',
  'owner_source',
  'project',
  'team',
  'feature',
  'model',
  'provider',
] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

export const isBreakdownDimension = (text: string): text is BreakdownDimension =>
  (BREAKDOWN_DIMENSIONS as readonly string[]).includes(text);

/** A period's cost for one value of a dimension ('' when calls did not carry it). */
export interface CostByValue {
  value: string;
  calls: bigint;
  /** Effective cost: calls plus the adjustments booked in the period, exact nano-USD. */
  total_nanos: bigint;
  /** The part of the total that re-pricing and late calls of closed periods added. */
  adjustment_nanos: bigint;
}

/** Largest cost first, then by value, so the same period always prints the same way. */
export function sortBreakdown(rows: readonly CostByValue[]): CostByValue[] {
  return [...rows].sort((a, b) =>
    a.total_nanos !== b.total_nanos
      ? a.total_nanos > b.total_nanos
        ? -1
        : 1
      : a.value < b.value
        ? -1
        : a.value > b.value
          ? 1
          : 0,
  );
}

/** `part / whole` as a percentage with two decimals, in integers (half away from zero on the last digit). */
export function sharePercent(part: bigint, whole: bigint): string {
  if (whole === 0n) return '-';
  const scaled = (part * 20_000n) / whole; // basis points x 2, to round the last digit
  const basisPoints = scaled >= 0n ? (scaled + 1n) / 2n : (scaled - 1n) / 2n;
  const negative = basisPoints < 0n;
  const magnitude = negative ? -basisPoints : basisPoints;
  return `${negative ? '-' : ''}${magnitude / 100n}.${(magnitude % 100n).toString().padStart(2, '0')}%`;
}
