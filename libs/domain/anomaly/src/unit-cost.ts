import type { CellAggregate } from './call-fact';
import { HOUR_MS, WEEK_MS } from './seasonal-history';

/** What the intensity test reads of a cell (or of a group of cells). */
export type UnitCell = Pick<CellAggregate, 'requests' | 'cost_nanos' | 'cost_sq'>;

/** How a closed minute's cost per request compares with the same hour of past weeks, in nano-USD. */
export interface UnitCostExcess {
  /** Sum over cells of requests x (cost per request - usual cost per request). */
  excess: number;
  /** Its variance from the per-call spread of the usual calls, nano-USD^2 (adds over minutes). */
  variance: number;
  /** requests x the weekly spread (1.4826 MAD) of the usual cost per request (adds linearly). */
  spread: number;
}

export interface UnitCostParams {
  weeks: number;
  minWeeks: number;
  /** Least per-call spread assumed, as a fraction of the usual cost per request. */
  unitCostCvFloor: number;
}

/**
 * The intensity test's input. A spike in what each call costs (bigger prompts, a price change) hides
 * in the request noise of a team's total for many minutes, but within one cell (feature, workflow,
 * model, retry flag) calls cost nearly the same: comparing cost per request cell by cell with the same
 * hour of past weeks sees it in the first minute. Cells without `minWeeks` weeks of history (new
 * entities) are left to the spend test.
 */
export function unitCostExcess(
  pastHour: (hour: number) => ReadonlyMap<string, UnitCell> | undefined,
  key: string,
  cell: UnitCell,
  minute: number,
  params: UnitCostParams,
): UnitCostExcess | undefined {
  if (cell.requests <= 0) return undefined;
  const hour = Math.floor(minute / HOUR_MS) * HOUR_MS;
  const units: number[] = [];
  let spread = 0;
  for (let week = 1; week <= params.weeks; week++) {
    const past = pastHour(hour - week * WEEK_MS)?.get(key);
    if (!past || past.requests < 1) continue;
    const unit = past.cost_nanos / past.requests;
    units.push(unit);
    // per-call variance from the sum of squared call costs (USD^2), when the history carries it
    const meanSqUsd = (past.cost_sq ?? 0) / past.requests;
    const varianceUsd = meanSqUsd - (unit / 1e9) ** 2;
    if (varianceUsd > 0) spread = Math.max(spread, varianceUsd * 1e18);
  }
  if (units.length < params.minWeeks) return undefined;
  units.sort((a, b) => a - b);
  const usual = units[Math.floor((units.length - 1) / 2)]!;
  let mad = 0;
  if (units.length > 1) {
    const deviations = units.map((u) => Math.abs(u - usual)).sort((a, b) => a - b);
    mad = deviations[Math.floor((deviations.length - 1) / 2)]!;
  }
  const perCall = Math.max(spread, (params.unitCostCvFloor * usual) ** 2);
  const n = cell.requests;
  return { excess: cell.cost_nanos - n * usual, variance: n * perCall, spread: n * 1.4826 * mad };
}
