import { mergeCells, type CellAggregate, type Cells } from './call-fact';
import { inSeries, parseSeriesKey, seriesOfCell, type SeriesScope } from './series';

export const MINUTE_MS = 60_000;
export const SLOT_MS = 5 * MINUTE_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const WEEK_MS = 7 * 24 * HOUR_MS;

export interface BaselineParams {
  /** Weeks of history a baseline looks at (the same minutes of the week, N weeks back). */
  weeks: number;
  /** Fewest weeks with data before a series has a baseline at all. */
  minWeeks: number;
  /** How far a seasonal pattern may drift between weeks (a nightly batch starting 10 minutes late). */
  jitterMs: number;
}

export interface Baseline {
  /** Expected spend in the window: the median over past weeks, nano-USD (fractional: an estimate). */
  nanos: number;
  /** Median absolute deviation of the weekly values (spread of the seasonal pattern). */
  mad: number;
  weeks: number;
  /** The week (1 = a week ago) whose value is the median: its hour profile explains the baseline. */
  medianWeek: number;
}

/**
 * The history baselines are read from: spend per series in 5-minute slots (numbers only, cheap to keep
 * for weeks) and, per team, the cell profile of every hour (what the decomposition needs). Slots are
 * keyed by absolute event time; "the same hour of the week" is simply now - k weeks.
 */
export class SeasonalHistory {
  readonly slots = new Map<string, Map<number, number>>();
  readonly hours = new Map<string, Map<number, Cells>>();
  /** First slot each series was seen in: a week before it is "no history", not "spent nothing". */
  readonly firstSlot = new Map<string, number>();

  /** A closed minute of one team: its cells feed the team's hour profile and every series' slot. */
  addMinute(team: string, minuteStart: number, cells: Cells): void {
    const hour = Math.floor(minuteStart / HOUR_MS) * HOUR_MS;
    const slot = Math.floor(minuteStart / SLOT_MS) * SLOT_MS;
    this.addHourCells(team, hour, cells);
    for (const cell of cells.values())
      for (const series of seriesOfCell(team, cell)) this.addSlot(series.key, slot, cell.cost_nanos);
  }

  /** Warm start: one hour from the ledger's rollups, spread evenly over its twelve slots. */
  addHour(team: string, hourStart: number, cells: Cells): void {
    this.addHourCells(team, hourStart, cells);
    for (const cell of cells.values())
      for (const series of seriesOfCell(team, cell))
        for (let s = 0; s < 12; s++) this.addSlot(series.key, hourStart + s * SLOT_MS, cell.cost_nanos / 12);
  }

  private addHourCells(team: string, hour: number, cells: Cells): void {
    let byHour = this.hours.get(team);
    if (!byHour) this.hours.set(team, (byHour = new Map<number, Cells>()));
    let profile = byHour.get(hour);
    if (!profile) byHour.set(hour, (profile = new Map<string, CellAggregate>()));
    mergeCells(profile, cells);
  }

  addSlot(seriesKey: string, slot: number, nanos: number): void {
    let bySlot = this.slots.get(seriesKey);
    if (!bySlot) this.slots.set(seriesKey, (bySlot = new Map<number, number>()));
    bySlot.set(slot, (bySlot.get(slot) ?? 0) + nanos);
    const first = this.firstSlot.get(seriesKey);
    if (first === undefined || slot < first) this.firstSlot.set(seriesKey, slot);
  }

  /** Spend in [start, end) from slot values beginning at slot `first`, slots cut pro rata at the edges. */
  private static sum(values: Float64Array, count: number, first: number, start: number, end: number): number {
    let nanos = 0;
    for (let slot = Math.floor(start / SLOT_MS) * SLOT_MS; slot < end; slot += SLOT_MS) {
      const i = (slot - first) / SLOT_MS;
      if (i < 0 || i >= count) continue;
      const value = values[i]!;
      if (value === 0) continue;
      const overlap = Math.min(end, slot + SLOT_MS) - Math.max(start, slot);
      nanos += (value * overlap) / SLOT_MS;
    }
    return nanos;
  }

  /** Scratch space of baseline(): one week's slots in reach, the weekly values (no allocation a call). */
  private scratch = new Float64Array(64);
  private weekly = new Float64Array(8);
  private weekOf = new Int32Array(8);

  /**
   * The same window N weeks back, median over weeks. With `direction` up, each week takes the largest
   * value within +-jitter (a pattern that moves a little is not a spike); down takes the smallest.
   */
  baseline(
    seriesKey: string,
    start: number,
    end: number,
    params: BaselineParams,
    direction: 'up' | 'down',
  ): Baseline | undefined {
    const bySlot = this.slots.get(seriesKey);
    if (!bySlot) return undefined;
    const seenFrom = this.firstSlot.get(seriesKey);
    if (seenFrom === undefined) return undefined;
    if (this.weekly.length < params.weeks) {
      this.weekly = new Float64Array(params.weeks);
      this.weekOf = new Int32Array(params.weeks);
    }
    let n = 0;
    for (let week = 1; week <= params.weeks; week++) {
      const offset = week * WEEK_MS;
      const first = Math.floor((start - offset - params.jitterMs) / SLOT_MS) * SLOT_MS;
      // a week counts when the series already existed before the window's reach (then silence is a 0)
      if (seenFrom > first) continue;
      // one lookup per slot in reach, then every shifted window sums from the array
      const count = Math.ceil((end - offset + params.jitterMs - first) / SLOT_MS);
      if (this.scratch.length < count) this.scratch = new Float64Array(count * 2);
      const values = this.scratch;
      for (let i = 0; i < count; i++) values[i] = bySlot.get(first + i * SLOT_MS) ?? 0;
      let best = Number.NaN;
      for (let shift = -params.jitterMs; shift <= params.jitterMs; shift += SLOT_MS) {
        const value = SeasonalHistory.sum(values, count, first, start - offset + shift, end - offset + shift);
        if (Number.isNaN(best) || (direction === 'up' ? value > best : value < best)) best = value;
      }
      this.weekly[n] = Number.isNaN(best) ? 0 : best;
      this.weekOf[n] = week;
      n++;
    }
    if (n < params.minWeeks) return undefined;
    // the lower median (as before: index floor((n - 1) / 2) of the sorted values), its week, the MAD
    const order = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => this.weekly[a]! - this.weekly[b]! || a - b,
    );
    const middle = order[Math.floor((n - 1) / 2)]!;
    const median = this.weekly[middle]!;
    const deviations: number[] = [];
    for (let i = 0; i < n; i++) deviations.push(Math.abs(this.weekly[i]! - median));
    deviations.sort((a, b) => a - b);
    return {
      nanos: median,
      mad: deviations[Math.floor((n - 1) / 2)] ?? 0,
      weeks: n,
      medianWeek: this.weekOf[middle]!,
    };
  }

  /** The cells behind a baseline: the median week's hour profiles over the window, filtered to the series. */
  profile(series: SeriesScope, start: number, end: number, week: number): Cells {
    const out: Cells = new Map();
    const byHour = this.hours.get(series.team);
    if (!byHour) return out;
    const from = start - week * WEEK_MS;
    const to = end - week * WEEK_MS;
    for (let hour = Math.floor(from / HOUR_MS) * HOUR_MS; hour < to; hour += HOUR_MS) {
      const cells = byHour.get(hour);
      if (!cells) continue;
      const overlap = Math.min(to, hour + HOUR_MS) - Math.max(from, hour);
      mergeCells(out, cells, overlap / HOUR_MS, (cell: CellAggregate) => inSeries(series, cell));
    }
    return out;
  }

  /** Drops what no baseline can reach any more. */
  prune(team: string, before: number): void {
    for (const [key, bySlot] of this.slots)
      if (parseSeriesKey(key).team === team)
        for (const slot of bySlot.keys()) if (slot < before) bySlot.delete(slot);
    const byHour = this.hours.get(team);
    for (const hour of byHour?.keys() ?? []) if (hour < before) byHour?.delete(hour);
  }
}
