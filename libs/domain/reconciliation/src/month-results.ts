import type { CellResult, DifferenceClass, MonthResult, ReconcileOptions } from './reconciliation.types';
import { divideHalfEven } from '@tokentally/domain-money';

export const DEFAULT_MONTH_TOLERANCE_BP = 10;

/** delta relative to the provider's figure, half-even; all of it (10,000) when the provider billed nothing. */
export function basisPoints(delta: bigint, base: bigint): number {
  if (delta === 0n) return 0;
  if (base === 0n) return delta > 0n ? 10_000 : -10_000;
  const bp = divideHalfEven(delta * 10_000n, base < 0n ? -base : base);
  return Number(bp > 1_000_000n ? 1_000_000n : bp < -1_000_000n ? -1_000_000n : bp);
}

/** Provider x account x month totals, held to the monthly tolerance (default 10 bp). */
export function monthResults(cells: readonly CellResult[], options: ReconcileOptions): MonthResult[] {
  const months = new Map<string, MonthResult>();
  const toleranceBp = options.monthToleranceBp ?? DEFAULT_MONTH_TOLERANCE_BP;
  for (const cell of cells) {
    const month = cell.usageDate.slice(0, 7);
    const key = `${cell.provider}|${cell.accountId}|${month}`;
    const entry = months.get(key) ?? {
      provider: cell.provider,
      accountId: cell.accountId,
      month,
      ledgerNanos: 0n,
      providerNanos: 0n,
      deltaNanos: 0n,
      deltaBp: 0,
      toleranceBp,
      withinTolerance: true,
      provisional: false,
      byClass: {},
    };
    entry.ledgerNanos += cell.ledgerNanos;
    entry.providerNanos += cell.providerNanos;
    entry.deltaNanos += cell.deltaNanos;
    entry.provisional ||= cell.provisional;
    const add = (cls: DifferenceClass | 'unexplained', nanos: bigint): void => {
      if (nanos !== 0n) entry.byClass[cls] = (entry.byClass[cls] ?? 0n) + nanos;
    };
    for (const explanation of cell.explanations) add(explanation.class, explanation.nanos);
    add('unexplained', cell.unexplainedNanos);
    months.set(key, entry);
  }
  for (const entry of months.values()) {
    entry.deltaBp = basisPoints(entry.deltaNanos, entry.providerNanos);
    entry.withinTolerance = Math.abs(entry.deltaBp) <= toleranceBp;
  }
  return [...months.values()];
}
