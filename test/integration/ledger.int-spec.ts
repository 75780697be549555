import { randomBytes } from 'node:crypto';
import type { PricedCallEvent } from '@tokentally/contracts';
import { PriceCatalog, priceEnrichedCall, rateBookFrom } from '@tokentally/domain-pricing';
import { ChargebackRepository, LedgerRepository } from '@tokentally/adapters-postgres-ledger';
import { COST_COLUMNS, periodOf, type CostColumn } from '@tokentally/domain-ledger';
import { createPool, migrate } from '@tokentally/platform-db';
import { buildEnrichedCallEvent, stackEnv, waitUntil } from '@tokentally/testing';

const RUN = randomBytes(4).toString('hex');
const TEAM = `it-ledger-${RUN}`;
const book = rateBookFrom([], [], new PriceCatalog());

function priced(n: number, occurredAt: number): PricedCallEvent {
  const outcome = priceEnrichedCall(
    buildEnrichedCallEvent(n, {
      event_id: `${RUN}-${n}-${occurredAt}`,
      team_id: TEAM,
      occurred_at: occurredAt,
    }),
    book,
    Date.now(),
  );
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.value;
}

describe('ledger repository on PostgreSQL', () => {
  const pool = createPool({ connectionString: stackEnv.databaseUrl, max: 4 });
  const ledger = new LedgerRepository(pool);
  const now = Date.now() - 60_000;

  const sums = async (): Promise<Record<string, bigint | null>> => {
    const { rows } = await pool.query<Record<string, bigint | null>>(
      `SELECT (SELECT count(*) FROM tokentally.ledger WHERE team_id = $1) AS rows,
              (SELECT sum(total_nanos)::bigint FROM tokentally.ledger WHERE team_id = $1) AS ledger,
              (SELECT sum(calls)::bigint FROM tokentally.rollup_hourly WHERE team_id = $1) AS hourly_calls,
              (SELECT sum(total_nanos)::bigint FROM tokentally.rollup_hourly WHERE team_id = $1) AS hourly,
              (SELECT sum(total_nanos)::bigint FROM tokentally.rollup_daily WHERE team_id = $1) AS daily,
              (SELECT sum(total_nanos)::bigint FROM tokentally.rollup_monthly WHERE team_id = $1) AS monthly`,
      [TEAM],
    );
    return rows[0] ?? {};
  };

  /** The closed months this suite makes, with their (immutable) statements: purged before and after. */
  const purgePeriods = async (): Promise<void> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SET LOCAL tokentally.purge_statements = 'on'");
      await client.query("DELETE FROM tokentally.statements WHERE period IN ('2019-01', '2019-02')");
      await client.query("DELETE FROM tokentally.periods WHERE period IN ('2019-01', '2019-02')");
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  };

  beforeAll(async () => {
    await migrate(pool);
    await purgePeriods();
  });

  afterAll(async () => {
    await pool.query(
      `DELETE FROM tokentally.ledger_event_keys k USING tokentally.ledger l
        WHERE l.event_id = k.event_id AND l.occurred_at = k.occurred_at AND l.team_id = $1`,
      [TEAM],
    );
    for (const table of ['ledger', 'rollup_hourly', 'rollup_daily', 'rollup_monthly'])
      await pool.query(`DELETE FROM tokentally.${table} WHERE team_id = $1`, [TEAM]);
    await purgePeriods();
    await pool.end();
  });

  it('a batch overlapping rows already written inserts only the new ones, and rollups follow exactly', async () => {
    const all = Array.from({ length: 150 }, (_, n) => priced(n, now - n));
    expect(await ledger.record(all.slice(0, 100))).toEqual({ inserted: 100, duplicates: 0, conflicts: [] });
    expect(await ledger.record(all.slice(50, 150))).toEqual({ inserted: 50, duplicates: 50, conflicts: [] });
    expect(await ledger.record(all)).toEqual({ inserted: 0, duplicates: 150, conflicts: [] });
    // the same call twice in one batch (the exact path): once in the ledger, once in the rollups
    const twice = priced(150, now - 150);
    expect(await ledger.record([twice, all[0] as PricedCallEvent, twice])).toEqual({
      inserted: 1,
      duplicates: 2,
      conflicts: [],
    });
    all.push(twice);
    const expected = all.reduce((sum, e) => sum + BigInt(e.cost.total_nanos), 0n);
    expect(await sums()).toEqual({
      rows: 151n,
      ledger: expected,
      hourly_calls: 151n,
      hourly: expected,
      daily: expected,
      monthly: expected,
    });
  });

  it('books an event_id once whatever its month: 10 concurrent writers, each with another month', async () => {
    const eventId = `${RUN}-one-id`;
    // January to October 2021: ten partitions, so the ledger's own key (event_id, occurred_at) sees no clash
    const resends = Array.from({ length: 10 }, (_, month) => ({
      ...priced(5000 + month, Date.UTC(2021, month, 10)),
      event_id: eventId,
    }));
    const writers = Array.from({ length: 10 }, () => new LedgerRepository(pool));
    const results = await Promise.all(
      resends.map((event, n) => (writers[n] as LedgerRepository).record([event])),
    );
    expect(results.reduce((sum, r) => sum + r.inserted, 0)).toBe(1);
    expect(results.reduce((sum, r) => sum + r.conflicts.length, 0)).toBe(9);
    const { rows } = await pool.query<{ n: bigint; calls: bigint | null }>(
      `SELECT (SELECT count(*) FROM tokentally.ledger WHERE event_id = $1) AS n,
              (SELECT sum(calls)::bigint FROM tokentally.rollup_monthly WHERE team_id = $2 AND period LIKE '2021-%') AS calls`,
      [eventId, TEAM],
    );
    expect(rows[0]).toEqual({ n: 1n, calls: 1n });
  });

  it('a redelivery is a silent duplicate; a resend with other content is a conflict naming what differs', async () => {
    const call = priced(6000, now - 6000);
    expect(await ledger.record([call])).toEqual({ inserted: 1, duplicates: 0, conflicts: [] });
    // a redelivery priced again later (another priced_at, even another rate) is the same call
    expect(await ledger.record([{ ...call, priced_at: call.priced_at + 1000 }])).toEqual({
      inserted: 0,
      duplicates: 1,
      conflicts: [],
    });
    const moreTokens = { ...call, buckets: { ...call.buckets, output: call.buckets.output + 1 } };
    const fresh = priced(6001, now - 6001);
    const result = await ledger.record([fresh, moreTokens]);
    expect(result).toEqual({
      inserted: 1,
      duplicates: 0,
      conflicts: [
        {
          event: moreTokens,
          differences: [`output: ${call.buckets.output} -> ${moreTokens.buckets.output}`],
        },
      ],
    });
    // two versions of one new event_id in one batch: the first is booked, the second is a conflict
    const first = priced(6002, now - 6002);
    const second = { ...first, model: 'gpt-4o-mini' };
    const inBatch = await ledger.record([first, second, first]);
    expect(inBatch.inserted).toBe(1);
    expect(inBatch.duplicates).toBe(1);
    expect(inBatch.conflicts.map((c) => c.event)).toEqual([second]);
    const { rows } = await pool.query<{ model: string; output_tokens: bigint }>(
      'SELECT model, output_tokens FROM tokentally.ledger WHERE event_id = ANY($1) ORDER BY event_id',
      [[call.event_id, first.event_id]],
    );
    // event ids `${RUN}-6000-...` < `${RUN}-6002-...`: the booked versions, unchanged
    expect(rows).toEqual([
      { model: call.model, output_tokens: BigInt(call.buckets.output) },
      { model: first.model, output_tokens: BigInt(first.buckets.output) },
    ]);
  });

  it('books a call whose month is closed in the open period, never in the closed one', async () => {
    const old = Date.UTC(2019, 0, 15);
    await ledger.ensurePartitions(['2019-01']);
    await pool.query(
      "UPDATE tokentally.periods SET status = 'closed', closed_at = now() WHERE period = '2019-01'",
    );
    const late = priced(1000, old);
    expect(await ledger.record([late])).toEqual({ inserted: 1, duplicates: 0, conflicts: [] });
    const { rows } = await pool.query<{ period: string }>(
      'SELECT period FROM tokentally.ledger WHERE event_id = $1',
      [late.event_id],
    );
    expect(rows[0]?.period).toBe(periodOf(Date.now()));
    const closed = await pool.query<{ n: bigint }>(
      "SELECT count(*) AS n FROM tokentally.rollup_daily WHERE team_id = $1 AND period = '2019-01'",
      [TEAM],
    );
    expect(closed.rows[0]?.n).toBe(0n);
  });

  it('a batch that arrives while its month is being closed waits, then books in the open period', async () => {
    await ledger.ensurePartitions(['2019-02']);
    const late = priced(2000, Date.UTC(2019, 1, 10));
    let recording: Promise<unknown> | undefined;
    const closed = await new ChargebackRepository(pool).closePeriod('2019-02', async () => {
      // the close holds the period row: the writer must be waiting on that lock, not writing
      recording = ledger.record([late]);
      await waitUntil(
        'the ledger writer to wait for the close',
        async () => {
          const { rows } = await pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE wait_event_type = 'Lock' AND query LIKE '%FROM tokentally.periods%FOR KEY SHARE%'`,
          );
          return (rows[0]?.n ?? 0) > 0;
        },
        10_000,
      );
      const { rows } = await pool.query<{ n: bigint }>(
        "SELECT count(*) AS n FROM tokentally.ledger WHERE period = '2019-02' AND team_id = $1",
        [TEAM],
      );
      return `{"calls_in_period": ${rows[0]?.n}}`;
    });
    expect(closed.statement).toBe('{"calls_in_period": 0}');
    expect(await recording).toEqual({ inserted: 1, duplicates: 0, conflicts: [] });
    const { rows } = await pool.query<{ period: string }>(
      'SELECT period FROM tokentally.ledger WHERE event_id = $1',
      [late.event_id],
    );
    expect(rows[0]?.period).toBe(periodOf(Date.now()));
  });

  it('books an adjustment of a closed month in the open period, at the time it is booked', async () => {
    const call = priced(3000, Date.UTC(2019, 0, 20)); // January 2019 was closed by an earlier test
    // a 5-nano credit on the input component
    const delta = Object.fromEntries(
      COST_COLUMNS.map((column) => [
        column,
        column === 'uncached_input_nanos' || column === 'total_nanos' ? -5n : 0n,
      ]),
    ) as Record<CostColumn, bigint>;
    const before = Date.now();
    const written = await ledger.adjust([
      {
        adjustmentId: `${RUN}-adjust-closed`,
        eventId: call.event_id,
        occurredAt: call.occurred_at,
        traceId: call.trace_id,
        period: '2019-01',
        bookedAt: call.occurred_at,
        teamId: TEAM,
        userRef: null,
        tenantRef: null,
        ownerSource: call.owner_source,
        projectId: null,
        promptTemplateVersion: null,
        feature: call.feature,
        workflow: null,
        environment: call.environment,
        provider: call.provider,
        model: call.model,
        delta,
        rateCardId: call.rate_card_id,
        rateCardVersion: call.rate_card_version,
        rateMultiplierId: null,
        rateMultiplierVersion: null,
        fxRateId: null,
        reason: 'test',
      },
    ]);
    expect(written).toBe(1);
    const { rows } = await pool.query<{ period: string; booked_at: Date }>(
      'SELECT period, booked_at FROM tokentally.ledger_adjustments WHERE adjustment_id = $1',
      [`${RUN}-adjust-closed`],
    );
    expect(rows[0]?.period).toBe(periodOf(Date.now()));
    expect(rows[0]?.booked_at.getTime()).toBeGreaterThanOrEqual(before);
    await pool.query('DELETE FROM tokentally.ledger_adjustments WHERE adjustment_id = $1', [
      `${RUN}-adjust-closed`,
    ]);
  });
});
