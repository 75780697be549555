import type { Cells } from './call-fact';
import type { SeasonalHistory } from './seasonal-history';
import { seriesOfCell, type SeriesScope } from './series';
import { unitCostExcess, type UnitCostParams } from './unit-cost';

/** One series' closed minute, summed over its cells: what the window tests read. */
export interface MinuteTotals {
  nanos: number;
  requests: number;
  /** Sum of squared call costs, USD^2 (call-level noise of the spend test). */
  sq: number;
  /** Unit-cost excess over the same hour of past weeks, nano-USD (the intensity test). */
  ix: number;
  /** Its per-call variance, nano-USD^2. */
  iv: number;
  /** Its weekly spread, nano-USD (adds linearly over minutes). */
  im: number;
}

const zero = (): MinuteTotals => ({ nanos: 0, requests: 0, sq: 0, ix: 0, iv: 0, im: 0 });

export interface WindowSums extends MinuteTotals {
  minutes: number;
}

/** Closed minutes inside the longest window: per team its cells, per series its totals. */
export class RecentWindows {
  readonly cells = new Map<string, Map<number, Cells>>();
  readonly totals = new Map<string, Map<number, MinuteTotals>>();
  readonly series = new Map<string, Map<string, SeriesScope>>();

  constructor(
    private readonly history: SeasonalHistory,
    private readonly params: UnitCostParams,
  ) {}

  remember(team: string, minute: number, cells: Cells): void {
    let byMinute = this.cells.get(team);
    if (!byMinute) this.cells.set(team, (byMinute = new Map<number, Cells>()));
    let seen = this.series.get(team);
    if (!seen) this.series.set(team, (seen = new Map<string, SeriesScope>()));
    byMinute.set(minute, cells);
    const hours = this.history.hours.get(team);
    const pastCells = (hour: number) => hours?.get(hour);
    for (const [key, cell] of cells) {
      const unit = unitCostExcess(pastCells, key, cell, minute, this.params);
      for (const s of seriesOfCell(team, cell)) {
        seen.set(s.key, s);
        let totals = this.totals.get(s.key);
        if (!totals) this.totals.set(s.key, (totals = new Map<number, MinuteTotals>()));
        let entry = totals.get(minute);
        if (!entry) totals.set(minute, (entry = zero()));
        entry.nanos += cell.cost_nanos;
        entry.requests += cell.requests;
        entry.sq += cell.cost_sq ?? 0;
        if (unit) {
          entry.ix += unit.excess;
          entry.iv += unit.variance;
          entry.im += unit.spread;
        }
      }
    }
  }

  /** Forgets minutes at or before `before`; a series with none left goes unless `keep` says not. */
  prune(team: string, before: number, keep: (seriesKey: string) => boolean): void {
    const byMinute = this.cells.get(team);
    for (const m of byMinute?.keys() ?? []) if (m <= before) byMinute?.delete(m);
    const seen = this.series.get(team);
    for (const key of seen?.keys() ?? []) {
      const totals = this.totals.get(key);
      for (const m of totals?.keys() ?? []) if (m <= before) totals?.delete(m);
      if (!totals?.size && !keep(key)) {
        this.totals.delete(key);
        seen?.delete(key);
      }
    }
  }

  /** Sums of a series over [start, end). */
  sum(seriesKey: string, start: number, end: number): WindowSums {
    const out: WindowSums = { ...zero(), minutes: 0 };
    for (const [m, e] of this.totals.get(seriesKey) ?? []) {
      if (m < start || m >= end) continue;
      out.nanos += e.nanos;
      out.requests += e.requests;
      out.sq += e.sq;
      out.ix += e.ix;
      out.iv += e.iv;
      out.im += e.im;
      out.minutes++;
    }
    return out;
  }
}
