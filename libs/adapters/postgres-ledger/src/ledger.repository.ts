import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { PricedCallEvent } from '@tokentally/contracts';
import {
  bookAdjustment,
  bookingPeriods,
  callDifferences,
  callFactsOf,
  periodBounds,
  periodOf,
  type AdjustmentRow,
  type LedgerConflict,
  type LedgerWriter,
  type RecordResult,
  type RepricingLedger,
} from '@tokentally/domain-ledger';
import { columnArrays, inTransaction, isoUtc } from '@tokentally/platform-db';
import {
  ADJUSTMENT_COLUMNS,
  EVENT_KEYS_COPY_SQL,
  LEDGER_COLUMNS,
  LEDGER_COPY_SQL,
  eventKeyCsvLine,
  ledgerCsvLine,
} from './ledger-columns';
import { LedgerReader } from './ledger-reader';
import { ROLLUP_SUMS_SQL, RollupSums } from './ledger-rollups';
import {
  ADJUST_SQL,
  BOOKED_FACTS_SQL,
  CLAIM_KEYS_SQL,
  ENSURE_PERIOD_SQL,
  RECORD_SQL,
  closedUnderLock,
  type BookedFacts,
} from './ledger-sql';

export { ENSURE_PERIOD_SQL } from './ledger-sql';

const UNIQUE_VIOLATION = '23505';
const COPY_CHUNK_ROWS = 500;

/** A batch sorted against what is booked: new calls, redeliveries, and conflicting resends. */
interface SortedBatch {
  fresh: PricedCallEvent[];
  duplicates: number;
  conflicts: LedgerConflict[];
}

const factsOfRow = (row: BookedFacts) => ({
  occurred_at: row.occurred_at.getTime(),
  trace_id: row.trace_id ?? '',
  provider: row.provider ?? '',
  model: row.model ?? '',
  uncached_input: row.uncached_input_tokens ?? 0n,
  cache_read: row.cache_read_tokens ?? 0n,
  cache_write_5m: row.cache_write_5m_tokens ?? 0n,
  cache_write_1h: row.cache_write_1h_tokens ?? 0n,
  output: row.output_tokens ?? 0n,
  reasoning: row.reasoning_tokens ?? 0n,
  units: row.units ?? {},
});

/**
 * The Postgres ledger: rows and rollups written in one transaction, each event_id booked at most once
 * (its key in `ledger_event_keys` is claimed in the same transaction, whatever the call's month).
 * Monthly partitions are created on first use. Calls whose month is closed are booked in the open
 * period (see `bookingPeriods`) so a closed statement never changes.
 */
export class LedgerRepository extends LedgerReader implements LedgerWriter, RepricingLedger {
  private readonly knownPartitions = new Set<string>();

  constructor(
    pool: Pool,
    private readonly clock: () => number = Date.now,
  ) {
    super(pool);
  }

  /**
   * Writes a batch. Fast path: COPY the keys and the rows and upsert the batch's rollups in one
   * transaction. A batch holding an event_id already booked (redelivery, replay, conflicting resend)
   * fails that COPY on the key and is rolled back whole; the batch is then sorted against what is
   * booked (a redelivery is a duplicate, other content a conflict) and the new calls COPYed the same
   * way. Should that COPY fail too (another writer got there between the look-up and the COPY) they
   * take the exact path: claim the keys with ON CONFLICT DO NOTHING, book the claimed ones, sort the
   * others. Either way a call lands once, atomically with its rollups, in the periods read under lock.
   */
  async record(events: readonly PricedCallEvent[]): Promise<RecordResult> {
    if (events.length === 0) return { inserted: 0, duplicates: 0, conflicts: [] };
    await this.ensurePartitions(events.map((e) => periodOf(e.occurred_at)));
    const client = await this.pool.connect();
    try {
      if (await this.copyBatch(client, events))
        return { inserted: events.length, duplicates: 0, conflicts: [] };
      const sorted = await this.sortOut(client, events);
      const { fresh, duplicates, conflicts } = sorted;
      if (fresh.length === 0) return { inserted: 0, duplicates, conflicts };
      if (fresh.length < events.length && (await this.copyBatch(client, fresh)))
        return { inserted: fresh.length, duplicates, conflicts };
      const exact = await inTransaction(client, () => this.claimAndBook(client, fresh));
      return {
        inserted: exact.inserted,
        duplicates: duplicates + exact.duplicates,
        conflicts: [...conflicts, ...exact.conflicts],
      };
    } finally {
      client.release();
    }
  }

  /** The exact path, in the caller's transaction: claim keys, book the claimed, sort the rest. */
  private async claimAndBook(
    client: PoolClient,
    fresh: readonly PricedCallEvent[],
  ): Promise<{ inserted: number; duplicates: number; conflicts: LedgerConflict[] }> {
    const claimed = await client.query<{ event_id: string }>(CLAIM_KEYS_SQL, [
      fresh.map((e) => e.event_id),
      fresh.map((e) => isoUtc(e.occurred_at)),
    ]);
    const mine = new Set(claimed.rows.map((row) => row.event_id));
    const ours = fresh.filter((e) => mine.has(e.event_id));
    const taken = fresh.filter((e) => !mine.has(e.event_id));
    let inserted = 0;
    if (ours.length > 0) {
      const periods = await this.bookingPeriods(client, ours);
      const result = await client.query<{ inserted: number }>(
        RECORD_SQL,
        columnArrays(LEDGER_COLUMNS, ours, periods),
      );
      inserted = result.rows[0]?.inserted ?? 0;
    }
    // a key not claimed was committed by another writer (we waited for it): the look-up sees it booked
    const late =
      taken.length > 0 ? await this.sortOut(client, taken) : { fresh: [], duplicates: 0, conflicts: [] };
    if (late.fresh.length > 0)
      throw new Error(`ledger: ${late.fresh.length} event key(s) neither claimed nor booked`);
    return { inserted, duplicates: ours.length - inserted + late.duplicates, conflicts: late.conflicts };
  }

  /**
   * Sorts a batch against the booked keys: a call whose event_id is booked (or earlier in the batch)
   * with the same facts is a duplicate, with other facts a conflict; the rest is fresh (at this
   * instant: the write after it still checks the keys).
   */
  private async sortOut(client: PoolClient, events: readonly PricedCallEvent[]): Promise<SortedBatch> {
    const first = new Map<string, PricedCallEvent>();
    for (const event of events) if (!first.has(event.event_id)) first.set(event.event_id, event);
    const { rows } = await client.query<BookedFacts>(BOOKED_FACTS_SQL, [[...first.keys()]]);
    const booked = new Map(rows.map((row) => [row.event_id, row]));
    const result: SortedBatch = { fresh: [], duplicates: 0, conflicts: [] };
    for (const event of events) {
      const row = booked.get(event.event_id);
      const earlier = first.get(event.event_id) as PricedCallEvent;
      const differences = row
        ? row.trace_id === null
          ? [] // a key without its row: booked, so never again
          : callDifferences(factsOfRow(row), callFactsOf(event))
        : earlier === event
          ? undefined
          : callDifferences(callFactsOf(earlier), callFactsOf(event));
      if (differences === undefined) result.fresh.push(event);
      else if (differences.length === 0) result.duplicates += 1;
      else result.conflicts.push({ event, differences });
    }
    return result;
  }

  /** The period each call is booked in, read under the periods' lock (see `closedUnderLock`). */
  private async bookingPeriods(client: PoolClient, events: readonly PricedCallEvent[]): Promise<string[]> {
    const occurredAt = events.map((event) => event.occurred_at);
    const closed = await closedUnderLock(client, occurredAt.map(periodOf));
    return bookingPeriods(occurredAt, closed, this.clock());
  }

  /** True when the whole batch was new and is committed; false (rolled back) when a key already existed. */
  private async copyBatch(client: PoolClient, events: readonly PricedCallEvent[]): Promise<boolean> {
    if (new Set(events.map((e) => e.event_id)).size !== events.length) return false;
    try {
      await inTransaction(client, async () => {
        let keys = '';
        for (const event of events) keys += eventKeyCsvLine(event, '');
        await pipeline(Readable.from([keys]), client.query(copyFrom(EVENT_KEYS_COPY_SQL)));
        const periods = await this.bookingPeriods(client, events);
        const rollups = new RollupSums();
        // Streamed in chunks so Postgres parses one chunk while the next is formatted and summed.
        async function* csvChunks(): AsyncGenerator<string> {
          for (let start = 0; start < events.length; start += COPY_CHUNK_ROWS) {
            let chunk = '';
            for (let row = start; row < Math.min(start + COPY_CHUNK_ROWS, events.length); row += 1) {
              chunk += ledgerCsvLine(events[row] as PricedCallEvent, periods[row] as string);
              rollups.add(events[row] as PricedCallEvent, periods[row] as string);
            }
            yield chunk;
          }
        }
        await pipeline(Readable.from(csvChunks()), client.query(copyFrom(LEDGER_COPY_SQL)));
        await client.query(ROLLUP_SUMS_SQL, rollups.params());
      });
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) return false;
      throw error;
    }
  }

  /**
   * Books adjustments (re-pricing deltas) in their period, or in the open period at the current time
   * when that period is closed, decided under the same lock as `record`.
   */
  async adjust(adjustments: readonly AdjustmentRow[]): Promise<number> {
    if (adjustments.length === 0) return 0;
    const client = await this.pool.connect();
    try {
      return await inTransaction(client, async () => {
        const closed = await closedUnderLock(
          client,
          adjustments.map((a) => a.period),
        );
        const now = this.clock();
        const booked = adjustments.map((a) => bookAdjustment(a, closed, now));
        const result = await client.query<{ inserted: number }>(
          ADJUST_SQL,
          columnArrays(ADJUSTMENT_COLUMNS, booked),
        );
        return result.rows[0]?.inserted ?? 0;
      });
    } finally {
      client.release();
    }
  }

  /** Creates the monthly partitions a batch needs (once per process per month; safe across writers). */
  async ensurePartitions(periods: readonly string[]): Promise<void> {
    const missing = [...new Set(periods)].filter((p) => !this.knownPartitions.has(p));
    if (missing.length === 0) return;
    const client: PoolClient = await this.pool.connect();
    try {
      await inTransaction(client, async () => {
        await client.query("SELECT pg_advisory_xact_lock(hashtext('tokentally.ledger.partitions'))");
        for (const period of missing) {
          const { start, end } = periodBounds(period);
          await client.query(
            `CREATE TABLE IF NOT EXISTS tokentally.ledger_${period.replace('-', '_')}
               PARTITION OF tokentally.ledger FOR VALUES FROM ('${start.toISOString()}') TO ('${end.toISOString()}')`,
          );
          await client.query(ENSURE_PERIOD_SQL, [period, start, end]);
        }
      });
      for (const period of missing) this.knownPartitions.add(period);
    } finally {
      client.release();
    }
  }
}
