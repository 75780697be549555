import type { Cells } from './call-fact';
import { MINUTE_MS, type SeasonalHistory } from './seasonal-history';
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

const FIELDS = 6; // nanos, requests, sq, ix, iv, im

/**
 * One series' closed minutes as a ring of `size` minutes: six numbers a minute in one Float64Array
 * and the minute each slot holds (-1: empty), so a window sum reads at most its own minutes and a
 * minute costs no object.
 */
class SeriesRing {
  readonly values: Float64Array;
  readonly stamps: Float64Array;
  count = 0;
  constructor(readonly size: number) {
    this.values = new Float64Array(size * FIELDS);
    this.stamps = new Float64Array(size).fill(-1);
  }
  slot(minuteIndex: number): number {
    return ((minuteIndex % this.size) + this.size) % this.size;
  }
}

/** Closed minutes inside the longest window: per team its cells, per series its totals. */
export class RecentWindows {
  readonly cells = new Map<string, Map<number, Cells>>();
  private readonly rings = new Map<string, SeriesRing>();
  readonly series = new Map<string, Map<string, SeriesScope>>();

  constructor(
    private readonly history: SeasonalHistory,
    private readonly params: UnitCostParams,
    /** Minutes the longest window spans (the ring's length). */
    private readonly longestMinutes: number,
  ) {}

  remember(team: string, minute: number, cells: Cells): void {
    let byMinute = this.cells.get(team);
    if (!byMinute) this.cells.set(team, (byMinute = new Map<number, Cells>()));
    let seen = this.series.get(team);
    if (!seen) this.series.set(team, (seen = new Map<string, SeriesScope>()));
    byMinute.set(minute, cells);
    const hours = this.history.hours.get(team);
    const pastCells = (hour: number) => hours?.get(hour);
    const index = minute / MINUTE_MS;
    for (const [key, cell] of cells) {
      const unit = unitCostExcess(pastCells, key, cell, minute, this.params);
      for (const s of seriesOfCell(team, cell)) {
        seen.set(s.key, s);
        let ring = this.rings.get(s.key);
        if (!ring) this.rings.set(s.key, (ring = new SeriesRing(this.longestMinutes + 1)));
        const slot = ring.slot(index);
        const at = slot * FIELDS;
        if (ring.stamps[slot] !== index) {
          if (ring.stamps[slot] === -1) ring.count++;
          ring.stamps[slot] = index;
          ring.values.fill(0, at, at + FIELDS);
        }
        const v = ring.values;
        v[at] = v[at]! + cell.cost_nanos;
        v[at + 1] = v[at + 1]! + cell.requests;
        v[at + 2] = v[at + 2]! + (cell.cost_sq ?? 0);
        if (unit) {
          v[at + 3] = v[at + 3]! + unit.excess;
          v[at + 4] = v[at + 4]! + unit.variance;
          v[at + 5] = v[at + 5]! + unit.spread;
        }
      }
    }
  }

  /** Forgets minutes at or before `before`; a series with none left goes unless `keep` says not. */
  prune(team: string, before: number, keep: (seriesKey: string) => boolean): void {
    const byMinute = this.cells.get(team);
    for (const m of byMinute?.keys() ?? []) if (m <= before) byMinute?.delete(m);
    const seen = this.series.get(team);
    const last = before / MINUTE_MS;
    for (const key of seen?.keys() ?? []) {
      const ring = this.rings.get(key);
      if (ring)
        for (let slot = 0; slot < ring.size && ring.count > 0; slot++) {
          const stamp = ring.stamps[slot]!;
          if (stamp !== -1 && stamp <= last) {
            ring.stamps[slot] = -1;
            ring.count--;
          }
        }
      if (!ring?.count && !keep(key)) {
        this.rings.delete(key);
        seen?.delete(key);
      }
    }
  }

  /** Sums of a series over [start, end) (minutes older than the ring are gone). */
  sum(seriesKey: string, start: number, end: number): WindowSums {
    return this.sumsEnding(seriesKey, end, [(end - start) / MINUTE_MS])[0]!;
  }

  /**
   * Sums of a series over windows of `lengths` minutes (ascending) all ending at `end`, in one pass
   * back from `end` over the longest (each window extends the previous one).
   */
  sumsEnding(seriesKey: string, end: number, lengths: readonly number[]): WindowSums[] {
    const out: WindowSums[] = [];
    const acc: WindowSums = { ...zero(), minutes: 0 };
    const ring = this.rings.get(seriesKey);
    const last = end / MINUTE_MS - 1;
    let index = last;
    for (const length of lengths) {
      for (; ring && index > last - length; index--) {
        const slot = ring.slot(index);
        if (ring.stamps[slot] !== index) continue;
        const at = slot * FIELDS;
        const v = ring.values;
        acc.nanos += v[at]!;
        acc.requests += v[at + 1]!;
        acc.sq += v[at + 2]!;
        acc.ix += v[at + 3]!;
        acc.iv += v[at + 4]!;
        acc.im += v[at + 5]!;
        acc.minutes++;
      }
      out.push({ ...acc });
    }
    return out;
  }
}
