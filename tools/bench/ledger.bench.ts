import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EnrichedCallEvent, PricedCallEvent } from '@tokentally/contracts';
import { up } from '@tokentally/deploy';
import { PriceCatalog, explainTrace, priceEnrichedCall, rateBookFrom } from '@tokentally/domain-pricing';
import {
  LEDGER_COPY_SQL,
  LedgerRepository,
  createPool,
  ledgerCsvLine,
  migrate,
  periodOf,
} from '@tokentally/platform-db';
import { buildEnrichedCallEvent, stackEnv } from '@tokentally/testing';
import { rate } from './report';

const ROWS = 100_000;
const BATCH = 5000;
const EXPLAIN_LEDGER_ROWS = 1_000_000;

/** Raw COPY of ledger rows into the same table over the same driver, nothing else, in seconds. */
async function copyIntoLedger(pool: Pool, events: readonly PricedCallEvent[]): Promise<number> {
  const started = process.hrtime.bigint();
  const client = await pool.connect();
  try {
    async function* lines(): AsyncGenerator<string> {
      for (let start = 0; start < events.length; start += BATCH)
        yield events
          .slice(start, start + BATCH)
          .map((e) => ledgerCsvLine(e, periodOf(e.occurred_at)))
          .join('');
    }
    await pipeline(Readable.from(lines()), client.query(copyFrom(LEDGER_COPY_SQL)));
  } finally {
    client.release();
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * The pricer's write path in-process (price with the pinned catalog, then the ledger statement with its
 * rollups, batch by batch, as the service does per consumed batch) against a raw COPY of the same rows
 * into the same partitioned table, then `explain` latency on a ledger of 1M rows. Rows are written to the
 * test database under a bench team and deleted afterwards.
 */
export async function benchLedger(): Promise<void> {
  await up();
  const run = randomBytes(4).toString('hex');
  const team = `bench-${run}`;
  const pool = createPool({ connectionString: stackEnv.databaseUrl, max: 4, applicationName: 'bench' });
  await migrate(pool);
  const ledger = new LedgerRepository(pool);
  const book = rateBookFrom([], [], new PriceCatalog());
  const price = (event: EnrichedCallEvent): PricedCallEvent => {
    const outcome = priceEnrichedCall(event, book, Date.now());
    if (!outcome.ok) throw new Error(outcome.message);
    return outcome.value;
  };
  const enriched = (label: string, count: number, traceSize = 3) =>
    Array.from({ length: count }, (_, n) =>
      buildEnrichedCallEvent(n, {
        event_id: `${run}-${label}-${n}`,
        trace_id: `${run}-${label}-t${Math.floor(n / traceSize)}`,
        team_id: team,
      }),
    );
  try {
    const input = enriched('pricer', ROWS);
    await ledger.ensurePartitions(input.map((e) => periodOf(e.occurred_at)));

    let started = process.hrtime.bigint();
    const priced = input.map(price);
    console.log(`pricing alone (catalog resolution + BigInt components): ${rate(ROWS, started)}`);

    // As the service runs it: KAFKA_PARTITIONS_CONCURRENCY (default 2) batches in flight, each priced
    // and then written in its own statement on its own connection.
    const writers = 2;
    started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let start = writer * BATCH; start < input.length; start += writers * BATCH) {
          const batch = input.slice(start, start + BATCH).map(price);
          await ledger.record(batch);
        }
      }),
    );
    const pricerSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(
      `pricer + ledger (price, COPY + rollup upserts in one transaction per batch; ${writers} batches of ${BATCH} in flight): ${rate(ROWS, started)}`,
    );

    const single = enriched('single', ROWS);
    started = process.hrtime.bigint();
    for (let start = 0; start < single.length; start += BATCH) {
      const batch = single.slice(start, start + BATCH).map(price);
      await ledger.record(batch);
    }
    console.log(`the same with one batch in flight: ${rate(ROWS, started)}`);

    started = process.hrtime.bigint();
    for (let start = 0; start < priced.length; start += BATCH)
      await ledger.record(priced.slice(start, start + BATCH));
    console.log(
      `replay of the same rows (COPY refused on the key -> INSERT ON CONFLICT DO NOTHING, rollups untouched): ${rate(ROWS, started)}`,
    );

    const copyRows = priced.map((e) => ({ ...e, event_id: `${e.event_id}-copy` }));
    const copySeconds = await copyIntoLedger(pool, copyRows);
    console.log(
      `raw COPY of the same rows into the same table (no rollups, no conflict check): ${ROWS.toLocaleString('en-US')} in ${copySeconds.toFixed(2)} s = ${Math.round(ROWS / copySeconds).toLocaleString('en-US')}/s`,
    );
    console.log(
      `ratio pricer+ledger / raw COPY: ${(copySeconds / pricerSeconds).toFixed(2)} (target >= 0.9, and >= 20,000 rows/s)`,
    );

    process.stdout.write(
      `loading a ledger of ${EXPLAIN_LEDGER_ROWS.toLocaleString('en-US')} rows for explain...`,
    );
    const big = enriched('explain', EXPLAIN_LEDGER_ROWS - 2 * ROWS).map(price);
    const loadSeconds = await copyIntoLedger(pool, big);
    await pool.query('ANALYZE tokentally.ledger');
    const { rows } = await pool.query<{ n: bigint }>('SELECT count(*) AS n FROM tokentally.ledger');
    console.log(` done in ${loadSeconds.toFixed(1)} s (ledger now ${rows[0]?.n} rows in all)`);
    const timings: number[] = [];
    for (let i = 0; i < 300; i += 1) {
      const trace = `${run}-explain-t${Math.floor(Math.random() * (big.length / 3))}`;
      const t0 = process.hrtime.bigint();
      const { calls, adjustments } = await ledger.byTrace(trace);
      explainTrace(trace, calls, adjustments);
      timings.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (calls.length !== 3) throw new Error(`trace ${trace} has ${calls.length} calls, expected 3`);
    }
    timings.sort((a, b) => a - b);
    const at = (q: number): string => (timings[Math.floor(q * (timings.length - 1))] ?? 0).toFixed(2);
    console.log(
      `explain <trace_id> on the 1M-row ledger (query + explanation, 300 random traces): p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms (target < 100 ms)`,
    );
  } finally {
    process.stdout.write('cleaning up bench rows...');
    for (const table of ['ledger', 'rollup_hourly', 'rollup_daily', 'rollup_monthly'])
      await pool.query(`DELETE FROM tokentally.${table} WHERE team_id = $1`, [team]);
    console.log(' done');
    await pool.end();
  }
}
