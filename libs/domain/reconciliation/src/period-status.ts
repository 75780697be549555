import { formatUsd } from '@tokentally/domain-money';
import { basisPoints, monthResults } from './month-results';
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
 * The period's stored cells folded into provider-account months (held to the monthly tolerance) and
 * the open differences by class. `visible` narrows to the accounts a caller may see (a team token:
 * its own team's accounts); totals are of those accounts only.
 */
export function periodReconciliation(
  period: string,
  stored: readonly CellResult[],
  options: {
    now: number;
    monthToleranceBp?: number;
    visible?: (provider: string, accountId: string) => boolean;
  },
): PeriodReconciliation {
  const cells = stored.filter(
    (c) => c.usageDate.startsWith(period) && (options.visible?.(c.provider, c.accountId) ?? true),
  );
  const accounts = monthResults(cells, {
    now: options.now,
    ...(options.monthToleranceBp !== undefined ? { monthToleranceBp: options.monthToleranceBp } : {}),
  }).sort((a, b) => `${a.provider}/${a.accountId}`.localeCompare(`${b.provider}/${b.accountId}`));
  const openByClass: Partial<Record<ClassName, bigint>> = {};
  const add = (cls: ClassName, nanos: bigint): void => {
    if (nanos !== 0n) openByClass[cls] = (openByClass[cls] ?? 0n) + nanos;
  };
  const open = cells.filter(isOverTolerance);
  for (const cell of open) {
    for (const e of cell.explanations) add(e.class, e.nanos);
    add('unexplained', cell.unexplainedNanos);
  }
  const sum = (pick: (m: MonthResult) => bigint): bigint => accounts.reduce((s, m) => s + pick(m), 0n);
  const providerNanos = sum((m) => m.providerNanos);
  const deltaNanos = sum((m) => m.deltaNanos);
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
    ledgerNanos: sum((m) => m.ledgerNanos),
    deltaNanos,
    deltaBp: basisPoints(deltaNanos, providerNanos),
    accounts,
    openCells: open.length,
    openByClass,
  };
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
