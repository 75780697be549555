import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EnrichedCallEvent, PricedCallEvent } from '@tokentally/contracts';
import { up } from '@tokentally/deploy';
import { PriceCatalog, explainTrace, priceEnrichedCall, rateBookFrom } from '@tokentally/domain-pricing';
import { LEDGER_COPY_SQL, LedgerRepository, ledgerCsvLine } from '@tokentally/adapters-postgres-ledger';
import { periodOf } from '@tokentally/domain-ledger';
import { buildEnrichedCallEvent } from '@tokentally/testing';
import { openScratchDatabase } from '../scratch-database';

const ROWS = 100_000;
const BATCH = 5000;
const ROUNDS = 3;
/** As the pricer runs by default: KAFKA_PARTITIONS_CONCURRENCY=2 batches in flight. */
const WRITERS = 2;

const seconds = (startedNs: bigint): number => Number(process.hrtime.bigint() - startedNs) / 1e9;
const perSecond = (rows: number, s: number): string => `${Math.round(rows / s).toLocaleString('en-US')}/s`;
const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** Raw COPY of ledger rows into the same table over the same driver, nothing else, on `streams` connections. */
async function rawCopy(pool: Pool, events: readonly PricedCallEvent[], streams: number): Promise<number> {
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: streams }, async (_, stream) => {
      const client = await pool.connect();
      try {
        async function* chunks(): AsyncGenerator<string> {
          for (let start = stream * BATCH; start < events.length; start += streams * BATCH)
            yield events
              .slice(start, start + BATCH)
              .map((e) => ledgerCsvLine(e, periodOf(e.occurred_at)))
              .join('');
        }
        await pipeline(Readable.from(chunks()), client.query(copyFrom(LEDGER_COPY_SQL)));
      } finally {
        client.release();
      }
    }),
  );
  return seconds(started);
}

/**
 * The pricer's write path in-process against a raw COPY of the same rows into the same partitioned
 * table. The pricer path is what the service does per consumed batch: price every call, then one
 * ledger transaction (COPY + rollup upserts), WRITERS batches in flight. Measurements alternate order
 * over ROUNDS rounds on fresh rows (the table grows as they run) and the medians are compared. Then the
 * same path with one batch in flight, with many users (many rollup keys per batch), a replay, and
 * `explain` on the ledger those runs built. Runs in its own database (tokentally_bench, reset).
 */
export async function benchLedger(): Promise<void> {
  await up();
  const pool = await openScratchDatabase('tokentally_bench', 'bench');
  const run = randomBytes(4).toString('hex');
  const ledger = new LedgerRepository(pool);
  const book = rateBookFrom([], [], new PriceCatalog());
  const price = (event: EnrichedCallEvent): PricedCallEvent => {
    const outcome = priceEnrichedCall(event, book, Date.now());
    if (!outcome.ok) throw new Error(outcome.message);
    return outcome.value;
  };
  const enriched = (label: string, count: number, users = 50): EnrichedCallEvent[] =>
    Array.from({ length: count }, (_, n) =>
      buildEnrichedCallEvent(n, {
        event_id: `${run}-${label}-${n}`,
        trace_id: `${run}-${label}-t${Math.floor(n / 3)}`,
        ...(users === 50 ? {} : { user_ref: `hmac:dev:u${n % users}`, team_id: `team-${(n % users) % 40}` }),
      }),
    );
  const pricerPath = async (input: readonly EnrichedCallEvent[], writers: number): Promise<number> => {
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let start = writer * BATCH; start < input.length; start += writers * BATCH)
          await ledger.record(input.slice(start, start + BATCH).map(price));
      }),
    );
    return seconds(started);
  };
  try {
    await pricerPath(enriched('warm-up', 2 * BATCH), WRITERS);
    await rawCopy(pool, enriched('copy-warm-up', 2 * BATCH).map(price), 1);

    const toPrice = enriched('pricing', ROWS);
    let started = process.hrtime.bigint();
    toPrice.forEach(price);
    console.log(`pricing alone (resolution + components): ${perSecond(ROWS, seconds(started))}`);

    const figures = { pricer: [] as number[], copy: [] as number[], copy2: [] as number[] };
    const firstRound: EnrichedCallEvent[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const input = enriched(`pricer-${round}`, ROWS);
      if (round === 1) firstRound.push(...input);
      const copyRows = enriched(`copy-${round}`, ROWS).map(price);
      const copy2Rows = enriched(`copy2-${round}`, ROWS).map(price);
      const steps = [
        async () => figures.pricer.push(await pricerPath(input, WRITERS)),
        async () => figures.copy.push(await rawCopy(pool, copyRows, 1)),
        async () => figures.copy2.push(await rawCopy(pool, copy2Rows, WRITERS)),
      ];
      for (const step of round % 2 === 1 ? steps : [...steps].reverse()) await step();
      console.log(
        `round ${round}: pricer + ledger ${perSecond(ROWS, figures.pricer.at(-1) as number)}, ` +
          `raw COPY ${perSecond(ROWS, figures.copy.at(-1) as number)}, ` +
          `raw COPY on ${WRITERS} connections ${perSecond(ROWS, figures.copy2.at(-1) as number)}`,
      );
    }
    const [pricer, copy, copy2] = [median(figures.pricer), median(figures.copy), median(figures.copy2)];
    console.log(
      `pricer + ledger (price, then COPY + rollup upserts in one transaction per batch of ${BATCH}; ${WRITERS} in flight), median of ${ROUNDS}: ${perSecond(ROWS, pricer)}`,
    );
    console.log(
      `raw COPY of the same rows into the same table (no rollups, no conflict check): ${perSecond(ROWS, copy)}`,
    );
    console.log(`raw COPY on ${WRITERS} connections at once: ${perSecond(ROWS, copy2)}`);
    console.log(
      `ratio pricer+ledger / raw COPY: ${(copy / pricer).toFixed(2)} (target >= 0.9, and >= 20,000 rows/s)`,
    );
    console.log(`ratio pricer+ledger / raw COPY on ${WRITERS} connections: ${(copy2 / pricer).toFixed(2)}`);

    const single = await pricerPath(enriched('single', ROWS), 1);
    console.log(`the same with one batch in flight: ${perSecond(ROWS, single)}`);

    const manyUsers = enriched('many-users', ROWS, 5000);
    const keys = new Set(
      manyUsers
        .slice(0, BATCH)
        .map((e) => `${e.user_ref}|${e.feature}|${e.workflow}|${e.model}|${e.environment}`),
    );
    const many = await pricerPath(manyUsers, WRITERS);
    console.log(
      `the same with 5,000 users (${keys.size.toLocaleString('en-US')} rollup keys per batch and grain): ${perSecond(ROWS, many)}`,
    );

    started = process.hrtime.bigint();
    const replay = firstRound.map(price);
    for (let start = 0; start < replay.length; start += BATCH)
      await ledger.record(replay.slice(start, start + BATCH));
    console.log(
      `replay of ${ROWS.toLocaleString('en-US')} rows already in the ledger (COPY refused on the key, a look-up finds every row recorded: nothing written, rollups untouched): ${perSecond(ROWS, seconds(started))}`,
    );

    const { rows } = await pool.query<{ ledger: bigint; rollups: bigint; n: bigint }>(
      // raw COPY rows (labelled copy) bypass the rollups by design; every other row went through record()
      `SELECT (SELECT sum(total_nanos) FROM tokentally.ledger WHERE event_id NOT LIKE '%-copy%') AS ledger,
              (SELECT sum(total_nanos) FROM tokentally.rollup_daily) AS rollups,
              (SELECT count(*) FROM tokentally.ledger) AS n`,
    );
    const totals = rows[0];
    console.log(
      `ledger ${totals?.n.toLocaleString('en-US')} rows; daily rollups equal the rows written through the pricer path to the nano: ${totals?.ledger === totals?.rollups ? 'yes' : 'NO'}`,
    );

    await pool.query('ANALYZE tokentally.ledger');
    const timings: number[] = [];
    for (let i = 0; i < 300; i += 1) {
      const trace = `${run}-pricer-${1 + (i % ROUNDS)}-t${Math.floor(Math.random() * (ROWS / 3))}`;
      const t0 = process.hrtime.bigint();
      const { calls, adjustments } = await ledger.byTrace(trace);
      explainTrace(trace, calls, adjustments);
      timings.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (calls.length !== 3) throw new Error(`trace ${trace} has ${calls.length} calls, expected 3`);
    }
    timings.sort((a, b) => a - b);
    const at = (q: number): string => (timings[Math.floor(q * (timings.length - 1))] ?? 0).toFixed(2);
    console.log(
      `explain <trace_id> on that ${totals?.n.toLocaleString('en-US')}-row ledger (query + explanation, 300 random traces): p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms (target < 100 ms)`,
    );
  } finally {
    await pool.end();
  }
}
