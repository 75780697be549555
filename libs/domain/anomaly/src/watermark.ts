/** What the detector knows of one Kafka partition assigned to it, in event time. */
export interface PartitionProgress {
  /** Latest occurred_at read from the partition (-Infinity: nothing read yet). */
  latest: number;
  /**
   * The last batch read ended at the partition's high watermark (or the group's committed offset was
   * already there at assignment): nothing is waiting in it, so it does not hold event time back.
   */
  caughtUp: boolean;
  /** Wall-clock time of the last batch (or lag check) that said so. */
  caughtUpAt?: number;
}

/**
 * The event-time clock of one detector instance: the MINIMUM over the partitions assigned to it of the
 * latest occurred_at read from each. Calls are keyed by trace_id, so every team's calls are spread over
 * every partition: a partition read behind the others (consumer lag, a backfill read unevenly) still
 * holds calls of every team, and closing a minute on the fastest partition (or per partition) would
 * refuse them as late.
 *
 * A partition that has no traffic would hold the clock back forever, so a partition that is caught up
 * (its last batch reached its high watermark: nothing is waiting in it) does not count. Idleness is
 * judged on Kafka offsets, never on event-time gaps: a partition that is far behind in event time but
 * has records waiting is lagging, not idle, and keeps holding the clock. When every assigned partition
 * is caught up, the clock is the latest call read anywhere (nothing can arrive from before it except
 * calls newer producers send late, which the lateness allowance covers).
 *
 * Unassigned partitions are forgotten; a newly assigned one holds the clock (-Infinity) until it is
 * read or known caught up, so a rebalance never lets another partition race ahead of it.
 */
export class PartitionWatermarks {
  private readonly partitions = new Map<number, PartitionProgress>();
  /** Partitions read from since this process started (the others' lag is worth asking Kafka). */
  private readonly read = new Set<number>();
  /** Without an explicit assignment, every partition read from is taken as assigned. */
  private explicit = false;

  /** The partitions assigned to this instance now (a rebalance): others are dropped, new ones hold. */
  assign(partitions: Iterable<number>): boolean {
    const next = new Set(partitions);
    let changed = !this.explicit;
    this.explicit = true;
    for (const p of [...this.partitions.keys()])
      if (!next.has(p)) {
        this.partitions.delete(p);
        this.read.delete(p);
        changed = true;
      }
    for (const p of next)
      if (!this.partitions.has(p)) {
        this.partitions.set(p, { latest: Number.NEGATIVE_INFINITY, caughtUp: false });
        changed = true;
      }
    return changed;
  }

  /** A call read from a partition (an unassigned partition's calls are counted but move no clock). */
  observe(partition: number, occurredAt: number): void {
    const progress = this.progress(partition);
    this.read.add(partition);
    if (progress && occurredAt > progress.latest) progress.latest = occurredAt;
  }

  /**
   * Whether a partition has nothing waiting (its batch reached the high watermark, or lag 0), as of
   * `now` (wall clock, the transport's time, never used for windows).
   */
  setCaughtUp(partition: number, caughtUp: boolean, now = 0): void {
    const progress = this.progress(partition);
    if (!progress) return;
    progress.caughtUp = caughtUp;
    progress.caughtUpAt = now;
  }

  /**
   * The instance's event time: minimum over the partitions still being read (see the class). A
   * caught-up partition is idle only once `idleAfterMs` (wall clock) passed without a new batch from
   * it: records produced to it meanwhile (a burst written to every partition at once) are fetched
   * within that time, so another partition of the same burst cannot race ahead of them.
   */
  current(now = 0, idleAfterMs = 0): number {
    let slowest = Number.POSITIVE_INFINITY;
    let latest = Number.NEGATIVE_INFINITY;
    for (const p of this.partitions.values()) {
      latest = Math.max(latest, p.latest);
      const idle = p.caughtUp && now - (p.caughtUpAt ?? 0) >= idleAfterMs;
      if (!idle) slowest = Math.min(slowest, p.latest);
    }
    return slowest === Number.POSITIVE_INFINITY ? latest : slowest;
  }

  /**
   * Assigned partitions not read since start and not known caught up: Kafka delivers nothing for an
   * empty partition, so their lag must be asked for (committed offset vs high watermark).
   */
  unknown(): number[] {
    return [...this.partitions]
      .filter(([partition, p]) => !p.caughtUp && !this.read.has(partition))
      .map(([partition]) => partition);
  }

  entries(): [number, PartitionProgress][] {
    return [...this.partitions].map(([p, progress]) => [p, { ...progress }]);
  }

  /**
   * Puts saved progress back after a restart, as not caught up: until the partition is read again
   * its saved event time holds the clock, which is safe whatever happened meanwhile.
   */
  restore(entries: Iterable<[number, number]>): void {
    for (const [partition, latest] of entries) {
      const progress = this.progress(partition);
      if (progress) progress.latest = Math.max(progress.latest, latest);
    }
  }

  private progress(partition: number): PartitionProgress | undefined {
    let progress = this.partitions.get(partition);
    if (!progress && !this.explicit)
      this.partitions.set(partition, (progress = { latest: Number.NEGATIVE_INFINITY, caughtUp: false }));
    return progress;
  }
}
