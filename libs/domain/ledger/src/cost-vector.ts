import type { CostComponents } from '@tokentally/contracts';

/**
 * The cost of a call, one amount per priced component plus the total, in integer nano-USD. One list
 * and one spelling (the ledger's column names) everywhere: priced events, ledger rows, adjustments,
 * re-pricing and explanations.
 */
export const COST_COMPONENTS = [
  'uncached_input',
  'cache_read',
  'cache_write_5m',
  'cache_write_1h',
  'output',
  'reasoning',
  'request_fee',
  'units',
] as const;
export type CostComponent = (typeof COST_COMPONENTS)[number];

/** The component columns then `total_nanos`, in the order of the ledger's and adjustments' columns. */
export const COST_COLUMNS = [...COST_COMPONENTS.map((c) => `${c}_nanos` as const), 'total_nanos'] as const;
export type CostColumn = (typeof COST_COLUMNS)[number];

/** A cost in exact integers: the ledger reads BigInt, so sums never round. */
export type CostVector = Record<CostColumn, bigint>;

export const ZERO_COST: Readonly<CostVector> = Object.freeze(
  Object.fromEntries(COST_COLUMNS.map((c) => [c, 0n])) as CostVector,
);

/** A priced event's cost (Avro longs, numbers) as exact integers. */
export const costVectorOf = (cost: CostComponents): CostVector =>
  Object.fromEntries(COST_COLUMNS.map((c) => [c, BigInt(cost[c])])) as CostVector;

/** An exact cost as a priced event carries it (Avro longs): refused past 2^53, never rounded. */
export function costComponentsOf(cost: CostVector): CostComponents {
  const components = {} as CostComponents;
  for (const column of COST_COLUMNS) {
    const value = cost[column];
    if (value > MAX_SAFE || value < -MAX_SAFE)
      throw new RangeError(`${column} ${value} nanos exceeds the exact range of an event field (2^53-1)`);
    components[column] = Number(value);
  }
  return components;
}
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export const addCosts = (a: CostVector, b: CostVector): CostVector =>
  Object.fromEntries(COST_COLUMNS.map((c) => [c, a[c] + b[c]])) as CostVector;

/** `to - from`, per column: what an adjustment books. */
export const costDelta = (to: CostVector, from: CostVector): CostVector =>
  Object.fromEntries(COST_COLUMNS.map((c) => [c, to[c] - from[c]])) as CostVector;

export const isZeroCost = (cost: CostVector): boolean => COST_COLUMNS.every((c) => cost[c] === 0n);

/** The total is the sum of the components (the ledger's CHECK says the same). */
export const isBalanced = (cost: CostVector): boolean =>
  COST_COMPONENTS.reduce((sum, c) => sum + cost[`${c}_nanos`], 0n) === cost.total_nanos;
