import { addFact, type CallFact, type CellAggregate, type Cells } from './call-fact';
import { explainFinding } from './finding';
import {
  stepIncident,
  suppressionMs,
  type AlertDecision,
  type Direction,
  type FeedbackVerdict,
  type Finding,
  type Incident,
} from './alert-lifecycle';
import { DEFAULT_DETECTOR_PARAMS, type DetectorParams } from './detector-params';
import { HOUR_MS, MINUTE_MS, SeasonalHistory, WEEK_MS } from './seasonal-history';
import { parseSeriesKey, type SeriesScope } from './series';
import { PartitionWatermarks } from './watermark';
import { TemplateMemory } from './template-memory';
import { RecentWindows } from './recent-windows';
import { intensityExcess, spendExcess } from './window-tests';

export { DEFAULT_DETECTOR_PARAMS, type DetectorParams } from './detector-params';

const DIRECTIONS: readonly Direction[] = ['up', 'down'];

export interface OpenMinute {
  ids: Set<string>;
  cells: Cells;
}

export interface IngestResult {
  /** The calls counted now (new event_id in an open minute), for a state store to persist. */
  accepted: CallFact[];
  counted: number;
  duplicates: number;
  late: number;
}

/** Event time of one team: its latest call, and the minutes closed so far. */
export interface TeamClock {
  watermark: number;
  /** Minutes before this are closed. */
  closedThrough: number;
  open: Map<number, OpenMinute>;
  /** Seeded from rollups up to here (in the baselines, not the windows): no window reaching before. */
  since?: number;
}

/**
 * The anomaly detector as a pure state machine over event time. Calls are counted once per event_id
 * into open minutes of their team; a minute closes when the team's watermark (latest occurred_at minus
 * the lateness) passes it, feeds the seasonal history, and every series of the team is evaluated over
 * the sliding windows ending there. Late calls for closed minutes are refused (counted as late) so
 * nothing is counted twice and a replay of the same calls decides the same alerts.
 */
export class AnomalyDetector {
  readonly history = new SeasonalHistory();
  readonly clocks = new Map<string, TeamClock>();
  /** The instance's event time: the slowest partition assigned to it that still has records waiting. */
  readonly partitions = new PartitionWatermarks();
  /** Closed minutes inside the longest window: cells per team, cheap sums per series. */
  readonly windows: RecentWindows;
  /** Closed minutes still inside the longest window, per team. */
  readonly recent: Map<string, Map<number, Cells>>;
  /** Series seen per team inside the longest window. */
  readonly recentSeries: Map<string, Map<string, SeriesScope>>;
  readonly incidents = new Map<string, Incident>();
  readonly suppressions = new Map<string, number>();
  readonly teamNames = new Map<string, string>();
  /** When each template version was first seen, for baselines that carry none (seeded). */
  readonly templates = new TemplateMemory();
  /** Minutes closed since the last drain, per team (what a state store must write). */
  readonly closedLog: { team: string; minute: number }[] = [];

  /** Window lengths of each direction, ascending. */
  private readonly upWindows: number[];
  private readonly downWindows: number[];

  constructor(readonly params: DetectorParams = DEFAULT_DETECTOR_PARAMS) {
    const up = new Set([...params.windowsMinutes, ...params.intensityWindowsMinutes]);
    this.upWindows = [...up].sort((x, y) => x - y);
    this.downWindows = [...new Set(params.dropWindowsMinutes)].sort((x, y) => x - y);
    this.windows = new RecentWindows(this.history, params, this.longestMs() / MINUTE_MS);
    this.recent = this.windows.cells;
    this.recentSeries = this.windows.series;
  }

  clock(team: string): TeamClock {
    let clock = this.clocks.get(team);
    if (!clock) {
      clock = {
        watermark: Number.NEGATIVE_INFINITY,
        closedThrough: Number.NEGATIVE_INFINITY,
        open: new Map(),
      };
      this.clocks.set(team, clock);
    }
    return clock;
  }

  ingest(facts: readonly CallFact[], source = 0): IngestResult {
    const result: IngestResult = { accepted: [], counted: 0, duplicates: 0, late: 0 };
    for (const fact of facts) {
      const clock = this.clock(fact.team);
      const minute = Math.floor(fact.occurred_at / MINUTE_MS) * MINUTE_MS;
      if (minute < clock.closedThrough) {
        result.late++;
        continue;
      }
      let open = clock.open.get(minute);
      if (!open) clock.open.set(minute, (open = { ids: new Set(), cells: new Map<string, CellAggregate>() }));
      if (open.ids.has(fact.event_id)) {
        result.duplicates++;
        continue;
      }
      open.ids.add(fact.event_id);
      addFact(open.cells, fact);
      result.accepted.push(fact);
      result.counted++;
      if (fact.occurred_at > clock.watermark) clock.watermark = fact.occurred_at;
    }
    // late and duplicate calls move the partition's clock too: it was read that far
    for (const fact of facts) this.partitions.observe(source, fact.occurred_at);
    return result;
  }

  /**
   * Closes every minute the event time has passed; returns the alerts they decide. No team closes past
   * the instance's clock (PartitionWatermarks) nor its own latest call, except a silent team, closed up
   * to the clock minus `idleCloseMs` (0: never) so an outage shows as a drop.
   */
  advance(now = 0): AlertDecision[] {
    const alerts: AlertDecision[] = [];
    const instance = this.partitions.current(now, this.params.partitionIdleMs);
    for (const [team, clock] of this.clocks) {
      let watermark = clock.watermark;
      if (this.params.idleCloseMs > 0) watermark = Math.max(watermark, instance - this.params.idleCloseMs);
      watermark = Math.min(watermark, instance);
      const closeBefore = Math.floor((watermark - this.params.latenessMs) / MINUTE_MS) * MINUTE_MS;
      if (!Number.isFinite(closeBefore)) continue;
      // minutes with no call still close (a series that went silent must be evaluated for drops)
      let minute = clock.closedThrough;
      if (!Number.isFinite(minute))
        for (const m of clock.open.keys()) minute = Number.isFinite(minute) ? Math.min(minute, m) : m;
      if (!Number.isFinite(minute)) continue;
      for (; minute < closeBefore; minute += MINUTE_MS) alerts.push(...this.closeMinute(team, clock, minute));
      clock.closedThrough = Math.max(clock.closedThrough, closeBefore);
    }
    return alerts;
  }

  private closeMinute(team: string, clock: TeamClock, minute: number): AlertDecision[] {
    const open = clock.open.get(minute);
    clock.open.delete(minute);
    clock.closedThrough = minute + MINUTE_MS;
    this.closedLog.push({ team, minute });
    const longest = this.longestMs();
    if (open && open.cells.size > 0) {
      this.templates.note(team, minute, open.cells);
      this.history.addMinute(team, minute, open.cells);
      this.remember(team, minute, open.cells);
    }
    this.windows.prune(
      team,
      minute - longest,
      (key) => this.incidents.has(`${key}|up`) || this.incidents.has(`${key}|down`),
    );
    if (minute % HOUR_MS === 0)
      this.history.prune(team, minute - (this.params.weeks * WEEK_MS + 2 * HOUR_MS));
    return this.evaluate(team, this.recent.get(team) ?? new Map<number, Cells>(), minute + MINUTE_MS);
  }

  /** The longest window of either direction (what the windows must keep). */
  longestMs(): number {
    const p = this.params;
    return Math.max(...p.windowsMinutes, ...p.intensityWindowsMinutes, ...p.dropWindowsMinutes) * MINUTE_MS;
  }

  /** A closed minute inside the windows (also how a state store puts one back after a restart). */
  remember(team: string, minute: number, cells: Cells): void {
    this.windows.remember(team, minute, cells);
  }

  private evaluate(team: string, byMinute: Map<number, Cells>, end: number): AlertDecision[] {
    const alerts: AlertDecision[] = [];
    const series = new Map<string, SeriesScope>(this.recentSeries.get(team) ?? []);
    for (const incident of this.incidents.values())
      if (incident.series.split(':')[1] === team || incident.series === `team:${team}`)
        series.set(incident.series, parseSeriesKey(incident.series));
    // the team first: when the whole team is in an incident its parts do not page separately
    const ordered = [...series.values()].sort((a, b) =>
      a.dimension === 'team' ? -1 : b.dimension === 'team' ? 1 : a.key.localeCompare(b.key),
    );
    for (const scope of ordered) {
      for (const direction of DIRECTIONS) {
        // drops are judged every fifth minute: an outage is not a minute-by-minute matter (and the
        // baselines of every series for every drop window each minute would cost more than the calls)
        if (direction === 'down' && end % (5 * MINUTE_MS) !== 0 && !this.incidents.has(`${scope.key}|down`))
          continue;
        const key = `${scope.key}|${direction}`;
        const teamBusy = scope.dimension !== 'team' && this.incidents.has(`team:${team}|${direction}`);
        const suppressed =
          (this.suppressions.get(key) ?? Number.NEGATIVE_INFINITY) > end ||
          (this.suppressions.get(`team:${team}|${direction}`) ?? Number.NEGATIVE_INFINITY) > end;
        const incident = this.incidents.get(key);
        const finding =
          (teamBusy || suppressed) && !incident ? undefined : this.find(scope, byMinute, end, direction);
        const step = stepIncident(incident, finding, end, this.params);
        if (step.incident) this.incidents.set(key, step.incident);
        else this.incidents.delete(key);
        if (step.emit) alerts.push(step.emit);
      }
    }
    return alerts;
  }

  private find(
    scope: SeriesScope,
    byMinute: Map<number, Cells>,
    end: number,
    direction: Direction,
  ): Finding | undefined {
    const p = this.params;
    // the longest window that says so explains the incident best: try them longest first
    const ascending = direction === 'up' ? this.upWindows : this.downWindows;
    const allSums = this.windows.sumsEnding(scope.key, end, ascending);
    for (let w = ascending.length - 1; w >= 0; w--) {
      const minutes = ascending[w]!;
      const start = end - minutes * MINUTE_MS;
      if (start < (this.clocks.get(scope.team)?.since ?? Number.NEGATIVE_INFINITY)) continue;
      const sums = allSums[w]!;
      const observed = sums.nanos;
      // an increase can never exceed what was spent: skip the baseline when even all of it is too little
      if (direction === 'up' && (observed * 60) / minutes < p.minImpactPerHourNanos) continue;
      const intensity = intensityExcess(sums, minutes, direction, p);
      const spendWindow = direction === 'down' || p.windowsMinutes.includes(minutes);
      if (!spendWindow && intensity === 0) continue;
      const baseline = this.history.baseline(scope.key, start, end, p, direction);
      if (!baseline) continue;
      const excess = spendWindow ? spendExcess(sums, minutes, direction, baseline, p) : undefined;
      const spend = excess !== undefined;
      if (!spend && intensity === 0) continue;
      const perHour = ((excess ?? intensity) * 60) / minutes;
      // an intensity finding is explained against the usual cost of the calls made (traffic aside)
      return explainFinding(
        {
          scope,
          teamName: this.teamNames.get(scope.team) ?? scope.team,
          direction,
          start,
          end,
          byMinute,
          expected: spend ? baseline.nanos : observed - intensity,
          medianWeek: baseline.medianWeek,
          excessPerHour: perHour,
        },
        this.history,
        this.templates,
      );
    }
    return undefined;
  }

  /**
   * Feedback on an alert: the open incident goes quiet and the scope does not page again for a while.
   * An alert no longer open (resolved, or from before a restart) is found by `known` (its series,
   * direction and last decision, from the alerts table): its scope and direction are suppressed from
   * the later of that decision and the team's event time.
   */
  feedback(
    alertId: string,
    verdict: FeedbackVerdict,
    at?: number,
    known?: { series: string; direction: Direction; detected_at: number },
  ): boolean {
    for (const [key, incident] of this.incidents) {
      if (incident.alert_id !== alertId) continue;
      this.incidents.set(key, { ...incident, muted: true });
      // event time: from the incident's last decision unless the caller knows better
      this.suppressions.set(key, (at ?? incident.last.detected_at) + suppressionMs(verdict));
      return true;
    }
    if (!known) return false;
    const key = `${known.series}|${known.direction}`;
    const team = parseSeriesKey(known.series).team;
    const closed = this.clocks.get(team)?.closedThrough ?? Number.NEGATIVE_INFINITY;
    const until = Math.max(at ?? known.detected_at, closed) + suppressionMs(verdict);
    this.suppressions.set(key, Math.max(this.suppressions.get(key) ?? Number.NEGATIVE_INFINITY, until));
    return true;
  }
}
