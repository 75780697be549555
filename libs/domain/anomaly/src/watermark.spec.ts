import { AnomalyDetector, DEFAULT_DETECTOR_PARAMS } from './detector';
import { MINUTE_MS } from './seasonal-history';
import { fact } from './spec-builders';
import { PartitionWatermarks } from './watermark';

const T = Date.UTC(2026, 10, 4, 10); // a Wednesday 10:00 UTC
const NONE = Number.NEGATIVE_INFINITY;

type Step =
  | { assign: number[] }
  | { observe: [partition: number, at: number] }
  | { caughtUp: [partition: number, value: boolean] };

function clockAfter(steps: Step[]): { current: number; unknown: number[] } {
  const w = new PartitionWatermarks();
  for (const step of steps) {
    if ('assign' in step) w.assign(step.assign);
    else if ('observe' in step) w.observe(...step.observe);
    else w.setCaughtUp(...step.caughtUp);
  }
  return { current: w.current(), unknown: w.unknown() };
}

describe('PartitionWatermarks: the instance clock is the minimum over its assigned partitions', () => {
  it.each<{ name: string; steps: Step[]; current: number; unknown?: number[] }>([
    { name: 'nothing assigned or read', steps: [], current: NONE },
    {
      name: 'implicit assignment: every partition read from counts',
      steps: [{ observe: [0, T + 5] }, { observe: [1, T + 2] }, { observe: [0, T + 9] }],
      current: T + 2,
    },
    {
      name: 'a lagging partition holds the clock however far behind it is (not per-partition, not max)',
      steps: [
        { assign: [0, 1, 2] },
        { observe: [0, T + 60 * MINUTE_MS] },
        { observe: [1, T] },
        { observe: [2, T + 59 * MINUTE_MS] },
      ],
      current: T,
    },
    {
      name: 'an assigned partition not read yet holds the clock at nothing',
      steps: [{ assign: [0, 1] }, { observe: [0, T] }],
      current: NONE,
      unknown: [1],
    },
    {
      name: 'a partition known empty (lag 0) does not hold it back forever',
      steps: [{ assign: [0, 1] }, { observe: [0, T] }, { caughtUp: [1, true] }],
      current: T,
    },
    {
      name: 'a partition whose batch reached its high watermark does not hold it back',
      steps: [
        { assign: [0, 1] },
        { observe: [0, T + 30 * MINUTE_MS] },
        { observe: [1, T] },
        { caughtUp: [1, true] },
      ],
      current: T + 30 * MINUTE_MS,
    },
    {
      name: 'a caught-up partition that gets records again holds the clock again',
      steps: [
        { assign: [0, 1] },
        { observe: [0, T + 30 * MINUTE_MS] },
        { observe: [1, T] },
        { caughtUp: [1, true] },
        { caughtUp: [1, false] },
      ],
      current: T,
    },
    {
      name: 'every partition caught up: the latest call read anywhere',
      steps: [
        { assign: [0, 1] },
        { observe: [0, T + 7] },
        { observe: [1, T + 3] },
        { caughtUp: [0, true] },
        { caughtUp: [1, true] },
      ],
      current: T + 7,
    },
    {
      name: 'a partition revoked by a rebalance no longer counts; a new one holds until read',
      steps: [{ assign: [0, 1] }, { observe: [0, T + 9] }, { observe: [1, T] }, { assign: [0, 2] }],
      current: NONE,
      unknown: [2],
    },
    {
      name: 'calls of an unassigned partition move no clock',
      steps: [{ assign: [0] }, { observe: [0, T] }, { observe: [5, T + 99] }],
      current: T,
    },
  ])('$name', ({ steps, current, unknown }) => {
    const after = clockAfter(steps);
    expect(after.current).toBe(current);
    if (unknown) expect(after.unknown).toEqual(unknown);
  });

  it('a caught-up partition is idle only after idleAfterMs of wall clock without a new batch', () => {
    const w = new PartitionWatermarks();
    w.assign([0, 1]);
    w.observe(0, T + 60 * MINUTE_MS);
    w.observe(1, T);
    w.setCaughtUp(1, true, 10_000);
    expect(w.current(10_500, 2000)).toBe(T);
    expect(w.current(12_000, 2000)).toBe(T + 60 * MINUTE_MS);
    w.setCaughtUp(1, true, 12_500); // a new batch from it, caught up again: holds again for a while
    expect(w.current(13_000, 2000)).toBe(T);
  });

  it('restored progress holds the clock until the partition is read or known caught up', () => {
    const w = new PartitionWatermarks();
    w.assign([0, 1]);
    w.restore([
      [0, T + 5],
      [1, T],
    ]);
    w.observe(0, T + 10);
    expect(w.current()).toBe(T);
    expect(w.unknown()).toEqual([1]);
    w.setCaughtUp(1, true);
    expect(w.current()).toBe(T + 10);
  });
});

describe('AnomalyDetector over several partitions', () => {
  const params = { ...DEFAULT_DETECTOR_PARAMS, latenessMs: 0, idleCloseMs: 0 };
  const call = (id: string, at: number) => fact({ event_id: id, occurred_at: at });

  it('a lagging partition never makes a window close early: its calls still count', () => {
    const detector = new AnomalyDetector(params);
    detector.partitions.assign([0, 1]);
    detector.ingest([call('a0', T), call('a1', T + 30 * MINUTE_MS)], 0);
    detector.ingest([call('b0', T)], 1);
    detector.advance();
    // partition 1 is only at T: minutes from T on stay open although partition 0 is 30 minutes ahead
    expect(detector.clock('search').closedThrough).toBe(T);
    expect(detector.ingest([call('b1', T + 10 * MINUTE_MS)], 1)).toMatchObject({ counted: 1, late: 0 });
    detector.advance();
    expect(detector.clock('search').closedThrough).toBe(T + 10 * MINUTE_MS);
  });

  it('a partition with no traffic stops holding the clock once it is known caught up', () => {
    const detector = new AnomalyDetector(params);
    detector.partitions.assign([0, 1]);
    detector.ingest([call('a0', T), call('a1', T + 5 * MINUTE_MS)], 0);
    detector.advance();
    expect(detector.clock('search').closedThrough).toBe(NONE);
    detector.partitions.setCaughtUp(1, true, 1000);
    detector.advance(1500);
    // caught up, but not yet for partitionIdleMs of wall clock: a burst may still be on its way
    expect(detector.clock('search').closedThrough).toBe(NONE);
    detector.advance(1000 + params.partitionIdleMs);
    expect(detector.clock('search').closedThrough).toBe(T + 5 * MINUTE_MS);
  });

  it('every team closes on the same instance clock, each no further than its own latest call', () => {
    const detector = new AnomalyDetector(params);
    detector.partitions.assign([0, 1]);
    detector.ingest([fact({ team: 'a', event_id: 'x', occurred_at: T + 20 * MINUTE_MS })], 0);
    detector.ingest(
      [
        fact({ team: 'b', event_id: 'y', occurred_at: T }),
        fact({ team: 'a', event_id: 'z', occurred_at: T + 2 * MINUTE_MS }),
      ],
      1,
    );
    detector.advance();
    expect(detector.clock('a').closedThrough).toBe(T + 2 * MINUTE_MS);
    expect(detector.clock('b').closedThrough).toBe(T);
  });
});
