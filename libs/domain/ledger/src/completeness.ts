/**
 * How complete the ledger is: "complete through 14:32:10 UTC". The pipeline's consumer groups (the
 * enricher on raw calls, the pricer on enriched calls) have, per partition, a lag; a partition with lag
 * holds events not yet booked, and the oldest of them is the first message after the committed offset.
 * Every call that occurred before the earliest such event is in the ledger (late arrivals aside); with
 * nothing in flight the ledger is complete through now.
 */

export interface PartitionProgress {
  group: string;
  topic: string;
  partition: number;
  lag: number;
  /** event time (epoch ms) of the first message not yet handled; null when lag is 0 or it could not be read */
  oldest_in_flight_ms: number | null;
}

export interface LedgerCompleteness {
  /** ISO instant; null only when events are in flight and none of their times could be read */
  complete_through: string | null;
  basis: 'caught_up' | 'in_flight' | 'unknown';
  in_flight: number;
  /** the partition holding the oldest event in flight */
  slowest: (Omit<PartitionProgress, 'oldest_in_flight_ms'> & { oldest_in_flight: string }) | null;
}

export function ledgerCompleteness(
  partitions: readonly PartitionProgress[],
  now: number,
): LedgerCompleteness {
  const lagging = partitions.filter((p) => p.lag > 0);
  const inFlight = lagging.reduce((s, p) => s + p.lag, 0);
  if (lagging.length === 0)
    return { complete_through: new Date(now).toISOString(), basis: 'caught_up', in_flight: 0, slowest: null };
  const known = lagging.filter(
    (p): p is PartitionProgress & { oldest_in_flight_ms: number } => p.oldest_in_flight_ms !== null,
  );
  if (known.length === 0)
    return { complete_through: null, basis: 'unknown', in_flight: inFlight, slowest: null };
  const oldest = known.reduce((a, b) => (b.oldest_in_flight_ms < a.oldest_in_flight_ms ? b : a));
  // complete through the instant before the oldest event still in flight, never later than now
  const through = Math.min(oldest.oldest_in_flight_ms - 1, now);
  return {
    complete_through: new Date(through).toISOString(),
    basis: 'in_flight',
    in_flight: inFlight,
    slowest: {
      group: oldest.group,
      topic: oldest.topic,
      partition: oldest.partition,
      lag: oldest.lag,
      oldest_in_flight: new Date(oldest.oldest_in_flight_ms).toISOString(),
    },
  };
}
