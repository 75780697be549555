import { basisPoints } from './month-results';

/** What a day-level view needs of one stored reconciliation cell (provider x account x model x day x token type). */
export interface DayCell {
  provider: string;
  accountId: string;
  usageDate: string;
  ledgerNanos: bigint;
  providerNanos: bigint;
  status: string;
  provisional: boolean;
  explanations: readonly { class: string; nanos: bigint }[];
  unexplainedNanos: bigint;
}

/** One provider account on one UTC day: the bill against the ledger, and what explains the difference. */
export interface ReconciliationDay {
  usage_date: string;
  provider: string;
  account_id: string;
  provider_nanos: bigint;
  ledger_nanos: bigint;
  delta_nanos: bigint;
  delta_bp: number;
  cells: number;
  open_cells: number;
  within_tolerance: boolean;
  provisional: boolean;
  /** Over the cells beyond tolerance: nanos each class explains, `unexplained` for the rest. */
  open_by_class: Record<string, bigint>;
}

const OPEN = (status: string): boolean => status !== 'matched' && status !== 'within_tolerance';

/** Cells summed per day and provider account, oldest day first, exact in nanos. */
export function reconciliationDays(cells: readonly DayCell[]): ReconciliationDay[] {
  const days = new Map<string, ReconciliationDay>();
  for (const cell of cells) {
    const key = `${cell.usageDate}\u0000${cell.provider}\u0000${cell.accountId}`;
    let day = days.get(key);
    if (!day) {
      day = {
        usage_date: cell.usageDate,
        provider: cell.provider,
        account_id: cell.accountId,
        provider_nanos: 0n,
        ledger_nanos: 0n,
        delta_nanos: 0n,
        delta_bp: 0,
        cells: 0,
        open_cells: 0,
        within_tolerance: true,
        provisional: false,
        open_by_class: {},
      };
      days.set(key, day);
    }
    day.cells += 1;
    day.provider_nanos += cell.providerNanos;
    day.ledger_nanos += cell.ledgerNanos;
    day.provisional ||= cell.provisional;
    if (!OPEN(cell.status)) continue;
    day.open_cells += 1;
    day.within_tolerance = false;
    const add = (cls: string, nanos: bigint): void => {
      if (nanos !== 0n) day.open_by_class[cls] = (day.open_by_class[cls] ?? 0n) + nanos;
    };
    for (const e of cell.explanations) add(e.class, e.nanos);
    add('unexplained', cell.unexplainedNanos);
  }
  return [...days.values()]
    .map((day) => {
      const delta = day.provider_nanos - day.ledger_nanos;
      return { ...day, delta_nanos: delta, delta_bp: basisPoints(delta, day.provider_nanos) };
    })
    .sort(
      (a, b) =>
        a.usage_date.localeCompare(b.usage_date) ||
        a.provider.localeCompare(b.provider) ||
        a.account_id.localeCompare(b.account_id),
    );
}
