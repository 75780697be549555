import { nanosToDecimal } from '@tokentally/domain-money';
import type { CellResult, ImportSummary, MonthResult } from '@tokentally/domain-reconciliation';

/** JSON views: nanos as exact decimal-free integer strings, never JSON numbers. */
export function cellView(cell: CellResult) {
  return {
    result_id: cell.resultId,
    provider: cell.provider,
    account_id: cell.accountId,
    model: cell.model,
    usage_date: cell.usageDate,
    token_type: cell.tokenType,
    ledger_nanos: cell.ledgerNanos.toString(),
    provider_nanos: cell.providerNanos.toString(),
    delta_nanos: cell.deltaNanos.toString(),
    delta_usd: nanosToDecimal(cell.deltaNanos),
    delta_bp: cell.deltaBp,
    tolerance_bp: cell.toleranceBp,
    status: cell.status,
    provisional: cell.provisional,
    ledger_quantity: cell.ledgerQuantity.toString(),
    provider_quantity: cell.providerQuantity.toString(),
    explanations: cell.explanations.map((e) => ({
      class: e.class,
      nanos: e.nanos.toString(),
      detail: e.detail,
    })),
    unexplained_nanos: cell.unexplainedNanos.toString(),
  };
}

export function monthView(month: MonthResult) {
  return {
    provider: month.provider,
    account_id: month.accountId,
    month: month.month,
    ledger_nanos: month.ledgerNanos.toString(),
    provider_nanos: month.providerNanos.toString(),
    delta_nanos: month.deltaNanos.toString(),
    delta_bp: month.deltaBp,
    tolerance_bp: month.toleranceBp,
    within_tolerance: month.withinTolerance,
    provisional: month.provisional,
    by_class: Object.fromEntries(Object.entries(month.byClass).map(([k, v]) => [k, v.toString()])),
  };
}

export function importView(summary: ImportSummary) {
  return {
    import_id: summary.importId,
    format: summary.format,
    lines: summary.lines,
    skipped: summary.skipped,
    inserted: summary.inserted,
    corrected: summary.corrected,
    unchanged: summary.unchanged,
    corrections: summary.changed
      .filter((c) => c.revision > 1)
      .map((c) => ({
        line_id: c.line.lineId,
        revision: c.revision,
        correction_nanos: c.correctionNanos.toString(),
      })),
    window: summary.window,
    cells: summary.run?.cells.map(cellView) ?? [],
    months: summary.run?.months.map(monthView) ?? [],
    alerts: summary.run?.alerts.length ?? 0,
  };
}
