import type { Redis } from 'ioredis';
import {
  HOUR_MS,
  MINUTE_MS,
  SLOT_MS,
  WEEK_MS,
  seriesOfCell,
  type AnomalyDetector,
  type CallFact,
  type CellAggregate,
  type Cells,
  type Incident,
} from '@tokentally/domain-anomaly';

const IDS_TTL_SECONDS = 2 * 86_400;

interface Core {
  clocks: [string, { watermark: number; closedThrough: number; since?: number }][];
  /** Latest occurred_at read per partition: after a restart it holds event time until read again. */
  partitions?: [number, number][];
  templates?: [string, [string, number][]][];
  incidents: [string, Incident][];
  suppressions: [string, number][];
}

const cellsJson = (cells: Cells): string => JSON.stringify([...cells.entries()]);
const cellsOf = (json: string): Cells => new Map(JSON.parse(json) as [string, CellAggregate][]);
const finite = (n: number): number | null => (Number.isFinite(n) ? n : null);

/**
 * The detector's state in Redis, written once per consumed batch in one MULTI/EXEC: the event_ids and
 * cells of open minutes, closed minutes of the windows, hour profiles and 5-minute slots of the
 * baselines, the clocks and incidents. Offsets commit after EXEC, so a crash before it re-delivers a
 * batch whose calls are not in Redis, and a crash after it re-delivers calls whose ids are: counted once.
 */
export class DetectorStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(...parts: (string | number)[]): string {
    return [this.prefix, ...parts].join(':');
  }

  async exists(): Promise<boolean> {
    return (await this.redis.exists(this.key('core'))) === 1;
  }

  async save(detector: AnomalyDetector, accepted: readonly CallFact[]): Promise<void> {
    const multi = this.redis.multi();
    const touched = new Map<string, Set<number>>();
    const ids = new Map<string, string[]>();
    for (const fact of accepted) {
      const minute = Math.floor(fact.occurred_at / MINUTE_MS) * MINUTE_MS;
      let minutes = touched.get(fact.team);
      if (!minutes) touched.set(fact.team, (minutes = new Set()));
      minutes.add(minute);
      const idKey = this.key('ids', fact.team, minute);
      ids.set(idKey, [...(ids.get(idKey) ?? []), fact.event_id]);
    }
    for (const [idKey, list] of ids) multi.sadd(idKey, ...list).expire(idKey, IDS_TTL_SECONDS);
    for (const [team, minutes] of touched) {
      multi.sadd(this.key('teams'), team);
      const clock = detector.clocks.get(team);
      for (const minute of minutes) {
        const open = clock?.open.get(minute);
        if (open) multi.hset(this.key('open', team), String(minute), cellsJson(open.cells));
      }
    }
    const longest = detector.longestMs();
    const horizon = detector.params.weeks * WEEK_MS + 2 * HOUR_MS;
    for (const { team, minute } of detector.closedLog.splice(0)) {
      multi.sadd(this.key('teams'), team);
      multi.hdel(this.key('open', team), String(minute)).del(this.key('ids', team, minute));
      const cells = detector.recent.get(team)?.get(minute);
      if (cells) multi.hset(this.key('recent', team), String(minute), cellsJson(cells));
      multi.hdel(this.key('recent', team), String(minute - longest));
      const hour = Math.floor(minute / HOUR_MS) * HOUR_MS;
      const profile = detector.history.hours.get(team)?.get(hour);
      if (profile) multi.hset(this.key('hours', team), String(hour), cellsJson(profile));
      const slot = Math.floor(minute / SLOT_MS) * SLOT_MS;
      for (const cell of cells?.values() ?? [])
        for (const series of seriesOfCell(team, cell)) {
          const value = detector.history.slots.get(series.key)?.get(slot);
          if (value !== undefined)
            multi.hset(this.key('slots', team), `${series.key}@${slot}`, String(value));
        }
      if (minute % HOUR_MS === 0) {
        const gone = minute - horizon;
        multi.hdel(this.key('hours', team), String(Math.floor(gone / HOUR_MS) * HOUR_MS - HOUR_MS));
        const fields: string[] = [];
        for (const [seriesKey] of detector.history.slots)
          if (seriesKey.split(':')[1] === team || seriesKey === `team:${team}`)
            for (let s = 0; s < 12; s++) fields.push(`${seriesKey}@${gone - HOUR_MS + s * SLOT_MS}`);
        if (fields.length > 0) multi.hdel(this.key('slots', team), ...fields);
      }
    }
    const core: Core = {
      clocks: [...detector.clocks].map(([team, c]) => [
        team,
        {
          watermark: finite(c.watermark) ?? -1,
          closedThrough: finite(c.closedThrough) ?? -1,
          since: c.since,
        },
      ]),
      partitions: detector.partitions
        .entries()
        .filter(([, p]) => Number.isFinite(p.latest))
        .map(([partition, p]) => [partition, p.latest]),
      templates: detector.templates.entries(),
      incidents: [...detector.incidents],
      suppressions: [...detector.suppressions],
    };
    multi.set(this.key('core'), JSON.stringify(core));
    const results = await multi.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw new Error(`redis state write failed: ${String(failed?.[0] ?? 'aborted')}`);
  }

  /** Puts a saved detector back; false when Redis holds nothing (fresh start or a lost Redis). */
  async load(detector: AnomalyDetector): Promise<boolean> {
    const coreJson = await this.redis.get(this.key('core'));
    if (coreJson === null) return false;
    const core = JSON.parse(coreJson) as Core;
    for (const [team, c] of core.clocks) {
      const clock = detector.clock(team);
      clock.watermark = c.watermark < 0 ? Number.NEGATIVE_INFINITY : c.watermark;
      clock.closedThrough = c.closedThrough < 0 ? Number.NEGATIVE_INFINITY : c.closedThrough;
      clock.since = c.since;
    }
    detector.partitions.restore(core.partitions ?? []);
    detector.templates.restore(core.templates ?? []);
    for (const [key, incident] of core.incidents) detector.incidents.set(key, incident);
    for (const [key, until] of core.suppressions) detector.suppressions.set(key, until);
    for (const team of await this.redis.smembers(this.key('teams'))) {
      const clock = detector.clock(team);
      for (const [minute, json] of Object.entries(await this.redis.hgetall(this.key('open', team)))) {
        const ids = await this.redis.smembers(this.key('ids', team, minute));
        clock.open.set(Number(minute), { ids: new Set(ids), cells: cellsOf(json) });
      }
      const hours = new Map<number, Cells>();
      for (const [hour, json] of Object.entries(await this.redis.hgetall(this.key('hours', team))))
        hours.set(Number(hour), cellsOf(json));
      detector.history.hours.set(team, hours);
      // after the hour profiles: a remembered minute's unit-cost excess is read against them
      const recent = await this.redis.hgetall(this.key('recent', team));
      for (const minute of Object.keys(recent)
        .map(Number)
        .sort((a, b) => a - b))
        detector.remember(team, minute, cellsOf(recent[String(minute)]!));
      for (const [field, value] of Object.entries(await this.redis.hgetall(this.key('slots', team)))) {
        const at = field.lastIndexOf('@');
        detector.history.addSlot(field.slice(0, at), Number(field.slice(at + 1)), Number(value));
      }
    }
    return true;
  }
}
