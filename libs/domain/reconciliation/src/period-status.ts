import { formatUsd } from '@tokentally/domain-money';
import { basisPoints, DEFAULT_MONTH_TOLERANCE_BP } from './month-results';
import { isOverTolerance } from './reconciliation-events';
import type { CellResult, DifferenceClass, MonthResult } from './reconciliation.types';

type ClassName = DifferenceClass | 'unexplained';

/** A billing period's reconciliation, as a statement and the finance API show it. */
export interface PeriodReconciliation {
  period: string;
  /** none: no provider export covers the period yet. */
  status: 'none' | 'within_tolerance' | 'beyond_tolerance';
  provisional: boolean;
  providerNanos: bigint;
  ledgerNanos: bigint;
  deltaNanos: bigint;
  deltaBp: number;
  accounts: MonthResult[];
  /** Cells beyond tolerance: how many, and the nanos each class explains in them. */
  openCells: number;
  openByClass: Partial<Record<ClassName, bigint>>;
}

/**
 * Stored cells of one provider account summed by whether they are beyond tolerance and provisional:
 * all a period's status needs, so an adapter can sum in SQL instead of reading every cell.
 */
export interface CellSums {
  provider: string;
  accountId: string;
  open: boolean;
  provisional: boolean;
  cells: number;
  ledgerNanos: bigint;
  providerNanos: bigint;
  deltaNanos: bigint;
  /** Nanos each class explains, `unexplained` included. */
  byClass: Partial<Record<ClassName, bigint>>;
}

const addClass = (into: Partial<Record<ClassName, bigint>>, cls: ClassName, nanos: bigint): void => {
  if (nanos !== 0n) into[cls] = (into[cls] ?? 0n) + nanos;
};

/** Cells to their sums (what the adapter's SQL computes), for callers that hold the cells. */
export function cellSums(cells: readonly CellResult[]): CellSums[] {
  const sums = new Map<string, CellSums>();
  for (const cell of cells) {
    const open = isOverTolerance(cell);
    const key = `${cell.provider}|${cell.accountId}|${open}|${cell.provisional}`;
    const entry = sums.get(key) ?? {
      provider: cell.provider,
      accountId: cell.accountId,
      open,
      provisional: cell.provisional,
      cells: 0,
      ledgerNanos: 0n,
      providerNanos: 0n,
      deltaNanos: 0n,
      byClass: {},
    };
    entry.cells += 1;
    entry.ledgerNanos += cell.ledgerNanos;
    entry.providerNanos += cell.providerNanos;
    entry.deltaNanos += cell.deltaNanos;
    for (const e of cell.explanations) addClass(entry.byClass, e.class, e.nanos);
    addClass(entry.byClass, 'unexplained', cell.unexplainedNanos);
    sums.set(key, entry);
  }
  return [...sums.values()];
}

export interface PeriodOptions {
  monthToleranceBp?: number;
  /** Narrows to the accounts a caller may see (a team token: its own team's accounts). */
  visible?: (provider: string, accountId: string) => boolean;
}

/**
 * A period's cell sums folded into provider-account months (held to the monthly tolerance, default
 * 10 bp) and the open differences by class; totals are of the visible accounts only.
 */
export function periodReconciliationFromSums(
  period: string,
  sums: readonly CellSums[],
  options: PeriodOptions = {},
): PeriodReconciliation {
  const toleranceBp = options.monthToleranceBp ?? DEFAULT_MONTH_TOLERANCE_BP;
  const months = new Map<string, MonthResult>();
  const openByClass: Partial<Record<ClassName, bigint>> = {};
  let openCells = 0;
  for (const sum of sums) {
    if (!(options.visible?.(sum.provider, sum.accountId) ?? true)) continue;
    const key = `${sum.provider}|${sum.accountId}`;
    const month = months.get(key) ?? {
      provider: sum.provider,
      accountId: sum.accountId,
      month: period,
      ledgerNanos: 0n,
      providerNanos: 0n,
      deltaNanos: 0n,
      deltaBp: 0,
      toleranceBp,
      withinTolerance: true,
      provisional: false,
      byClass: {},
    };
    month.ledgerNanos += sum.ledgerNanos;
    month.providerNanos += sum.providerNanos;
    month.deltaNanos += sum.deltaNanos;
    month.provisional ||= sum.provisional;
    for (const [cls, nanos] of Object.entries(sum.byClass) as [ClassName, bigint][]) {
      addClass(month.byClass, cls, nanos);
      if (sum.open) addClass(openByClass, cls, nanos);
    }
    if (sum.open) openCells += sum.cells;
    months.set(key, month);
  }
  const accounts = [...months.values()]
    .map((m) => {
      const deltaBp = basisPoints(m.deltaNanos, m.providerNanos);
      return { ...m, deltaBp, withinTolerance: Math.abs(deltaBp) <= toleranceBp };
    })
    .sort((a, b) => `${a.provider}/${a.accountId}`.localeCompare(`${b.provider}/${b.accountId}`));
  const total = (pick: (m: MonthResult) => bigint): bigint => accounts.reduce((s, m) => s + pick(m), 0n);
  const providerNanos = total((m) => m.providerNanos);
  const deltaNanos = total((m) => m.deltaNanos);
  return {
    period,
    status:
      accounts.length === 0
        ? 'none'
        : accounts.every((m) => m.withinTolerance)
          ? 'within_tolerance'
          : 'beyond_tolerance',
    provisional: accounts.some((m) => m.provisional),
    providerNanos,
    ledgerNanos: total((m) => m.ledgerNanos),
    deltaNanos,
    deltaBp: basisPoints(deltaNanos, providerNanos),
    accounts,
    openCells,
    openByClass,
  };
}

/** The same from the period's cells (cells of other months are left out). */
export function periodReconciliation(
  period: string,
  cells: readonly CellResult[],
  options: PeriodOptions = {},
): PeriodReconciliation {
  return periodReconciliationFromSums(
    period,
    cellSums(cells.filter((c) => c.usageDate.startsWith(period))),
    options,
  );
}

const classesJson = (byClass: Partial<Record<ClassName, bigint>>): Record<string, string> =>
  Object.fromEntries(Object.entries(byClass).map(([cls, nanos]) => [cls, String(nanos)]));

/** JSON of a period's reconciliation: snake_case, nanos as integer strings. */
export function periodReconciliationJson(r: PeriodReconciliation): Record<string, unknown> {
  return {
    period: r.period,
    status: r.status,
    provisional: r.provisional,
    provider_nanos: String(r.providerNanos),
    ledger_nanos: String(r.ledgerNanos),
    delta_nanos: String(r.deltaNanos),
    delta_bp: r.deltaBp,
    open_cells: r.openCells,
    open_by_class: classesJson(r.openByClass),
    accounts: r.accounts.map((m) => ({
      provider: m.provider,
      account_id: m.accountId,
      provider_nanos: String(m.providerNanos),
      ledger_nanos: String(m.ledgerNanos),
      delta_nanos: String(m.deltaNanos),
      delta_bp: m.deltaBp,
      tolerance_bp: m.toleranceBp,
      within_tolerance: m.withinTolerance,
      provisional: m.provisional,
      by_class: classesJson(m.byClass),
    })),
  };
}

const usd = (nanos: bigint): string => formatUsd(nanos);

/** The period's reconciliation in words, as `tally report` prints it under the statement. */
export function periodReconciliationLines(r: PeriodReconciliation): string[] {
  if (r.status === 'none')
    return [`Reconciliation ${r.period}: no provider export imported for this period yet`];
  const lines = [
    `Reconciliation ${r.period}: providers ${usd(r.providerNanos)} vs ledger ${usd(r.ledgerNanos)}, delta ${usd(r.deltaNanos)} (${r.deltaBp} bp): ${r.status === 'within_tolerance' ? 'within tolerance' : 'BEYOND TOLERANCE'}${r.provisional ? ' (provisional)' : ''}`,
  ];
  for (const m of r.accounts)
    lines.push(
      `  ${m.provider}/${m.accountId}: provider ${usd(m.providerNanos)} vs ledger ${usd(m.ledgerNanos)} (${m.deltaBp} bp, tolerance ${m.toleranceBp}) ${m.withinTolerance ? 'within' : 'beyond'}`,
    );
  const open = Object.entries(r.openByClass);
  if (open.length > 0)
    lines.push(
      `  open differences (${r.openCells} cells): ${open.map(([cls, n]) => `${cls} ${usd(n)}`).join(', ')}`,
    );
  return lines;
}
