import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TOPICS, type EnrichedCallEvent } from '@tokentally/contracts';
import { createPool } from '@tokentally/platform-db';
import { buildEnrichedCallEvent, KafkaHarness, stackEnv, waitUntil } from '@tokentally/testing';
import { ServiceProcess } from './service-process';
import { tally } from './tally';

const RUN = randomBytes(4).toString('hex');
const TEAM = `it-pricer-${RUN}`;
/** The CONFLICT case books under its own team so the suite's sums over TEAM stay exact. */
const CONFLICT_TEAM = `${TEAM}-conflict`;
const EVENTS = 100_000;
/** Its own group, started at the topic's end: the suite prices only what it publishes. */
const GROUP = 'it-pricer';

/**
 * Expected cost, computed apart from the pricer: catalog prices per token in nano-USD (a $P per 1M
 * price is P x 1,000 nanos per token), no rounding needed because every price is a whole number of nanos.
 */
const NANOS_PER_TOKEN: Record<string, Record<string, bigint>> = {
  'gpt-4o': { uncached_input: 2500n, cache_read: 1250n, output: 10_000n },
  'claude-sonnet-4-5': {
    uncached_input: 3000n,
    cache_read: 300n,
    cache_write_5m: 3750n,
    cache_write_1h: 6000n,
    output: 15_000n,
  },
};
function expectedNanos(event: EnrichedCallEvent): bigint {
  const prices = NANOS_PER_TOKEN[event.model] ?? {};
  let total = 0n;
  for (const [bucket, price] of Object.entries(prices))
    total += BigInt(event.buckets[bucket as 'output']) * price;
  return total;
}

function applyRates(yaml: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'rates-')), 'rates.yaml');
  writeFileSync(file, yaml);
  return tally('rates', 'apply', file);
}

describe('pricer on the real stack: exact, idempotent ledger', () => {
  const harness = new KafkaHarness();
  const pool = createPool({ connectionString: stackEnv.databaseUrl, max: 2 });
  const pricer = new ServiceProcess('pricer', 3212, {
    DATABASE_URL: stackEnv.databaseUrl,
    RATES_REFRESH_MS: '300',
    LOG_LEVEL: 'warn',
    KAFKA_CONSUMER_GROUP: GROUP,
  });
  const events = Array.from({ length: EVENTS }, (_, n) =>
    buildEnrichedCallEvent(n, { team_id: TEAM, trace_id: `${RUN}-trace-${Math.floor(n / 3)}` }),
  );
  const expectedTotal = events.reduce((sum, e) => sum + expectedNanos(e), 0n);

  const ledgerTotals = async (): Promise<{ rows: bigint; nanos: bigint }> => {
    const { rows } = await pool.query<{ rows: bigint; nanos: bigint | null }>(
      'SELECT count(*) AS rows, sum(total_nanos)::bigint AS nanos FROM tokentally.ledger WHERE team_id = $1',
      [TEAM],
    );
    return { rows: rows[0]?.rows ?? 0n, nanos: rows[0]?.nanos ?? 0n };
  };
  const rollupTotals = async (table: string): Promise<{ calls: bigint; nanos: bigint }> => {
    const { rows } = await pool.query<{ calls: bigint | null; nanos: bigint | null }>(
      `SELECT sum(calls)::bigint AS calls, sum(total_nanos)::bigint AS nanos FROM tokentally.${table} WHERE team_id = $1`,
      [TEAM],
    );
    return { calls: rows[0]?.calls ?? 0n, nanos: rows[0]?.nanos ?? 0n };
  };
  const adjustmentTotal = async (): Promise<bigint> => {
    const { rows } = await pool.query<{ nanos: bigint | null }>(
      'SELECT sum(total_nanos)::bigint AS nanos FROM tokentally.ledger_adjustments WHERE team_id = $1',
      [TEAM],
    );
    return rows[0]?.nanos ?? 0n;
  };
  const publish = async (batch: readonly EnrichedCallEvent[]): Promise<void> => {
    for (let start = 0; start < batch.length; start += 5000)
      await harness.producer.send(
        TOPICS.enrichedCalls,
        batch.slice(start, start + 5000).map((value) => ({ key: value.trace_id, value })),
      );
  };
  const drained = (): Promise<unknown> =>
    waitUntil(
      'pricer committed everything published',
      () => harness.committedEqualsEnd(GROUP, TOPICS.enrichedCalls.name),
      180_000,
      250,
    );

  beforeAll(async () => {
    await harness.start();
    await harness.registry.registerWriters([TOPICS.enrichedCalls]);
    // A clean rate book: the catalog alone prices these models.
    applyRates('rate_cards: []\n');
    await harness.skipToEnd(GROUP, TOPICS.enrichedCalls.name);
    pricer.start();
    await pricer.healthy();
  });

  afterAll(async () => {
    await pricer.stop();
    await harness.stop();
    // The test database outlives runs: remove this run's rows so later sums stay small and exact.
    const teams = [TEAM, CONFLICT_TEAM];
    await pool.query(
      `DELETE FROM tokentally.ledger_event_keys k USING tokentally.ledger l
        WHERE l.event_id = k.event_id AND l.occurred_at = k.occurred_at AND l.team_id = ANY($1)`,
      [teams],
    );
    for (const table of ['ledger', 'ledger_adjustments', 'rollup_hourly', 'rollup_daily', 'rollup_monthly'])
      await pool.query(`DELETE FROM tokentally.${table} WHERE team_id = ANY($1)`, [teams]);
    await pool.end();
  });

  it('100,000 enriched events -> 100,000 ledger rows whose sum equals the independent sum to the nano', async () => {
    await publish(events);
    await waitUntil(
      'ledger has every event',
      async () => (await ledgerTotals()).rows === BigInt(EVENTS),
      240_000,
      500,
    );
    const ledger = await ledgerTotals();
    expect(ledger).toEqual({ rows: BigInt(EVENTS), nanos: expectedTotal });
    // rollups are written in the same statement: they equal the ledger exactly
    expect(await rollupTotals('rollup_hourly')).toEqual({ calls: BigInt(EVENTS), nanos: expectedTotal });
    expect(await rollupTotals('rollup_daily')).toEqual({ calls: BigInt(EVENTS), nanos: expectedTotal });
    expect(await rollupTotals('rollup_monthly')).toEqual({ calls: BigInt(EVENTS), nanos: expectedTotal });
  });

  it('publishing the same 100,000 again changes neither the ledger nor the rollups', async () => {
    await drained();
    const before = await rollupTotals('rollup_hourly');
    await publish(events);
    await drained();
    expect(await ledgerTotals()).toEqual({ rows: BigInt(EVENTS), nanos: expectedTotal });
    expect(await rollupTotals('rollup_hourly')).toEqual(before);
    expect(await rollupTotals('rollup_daily')).toEqual(before);
    const metrics = await (await fetch(`${pricer.url}/metrics`)).text();
    expect(
      Number(/tokentally_pricer_events_total\{outcome="duplicate"[^}]*\} (\d+)/.exec(metrics)?.[1]),
    ).toBeGreaterThanOrEqual(EVENTS);
  });

  it('an unknown model is quarantined UNKNOWN_RATE with its reason, never written at $0', async () => {
    const unknown = [0, 1, 2].map((n) =>
      buildEnrichedCallEvent(n, {
        team_id: TEAM,
        model: `gpt-imaginary-${RUN}`,
        provider: 'openai',
        event_id: `${RUN}-unknown-${n}`,
      }),
    );
    await publish(unknown);
    await drained();
    const { rows } = await pool.query<{ event_id: string; reason: string; message: string }>(
      "SELECT event_id, reason, message FROM tokentally.quarantine WHERE stage = 'pricer' AND event_id LIKE $1 ORDER BY event_id",
      [`${RUN}-unknown-%`],
    );
    expect(rows.map((r) => [r.event_id, r.reason])).toEqual(unknown.map((e) => [e.event_id, 'UNKNOWN_RATE']));
    expect(rows[0]?.message).toMatch(`no rate card or catalog price for openai/gpt-imaginary-${RUN}`);
    expect((await ledgerTotals()).rows).toBe(BigInt(EVENTS));
  });

  it('a resend of a booked event_id with other content is quarantined CONFLICT; a redelivery stays silent', async () => {
    const booked = buildEnrichedCallEvent(1, { team_id: CONFLICT_TEAM, event_id: `${RUN}-conflict` });
    await publish([booked]);
    await drained();
    const resent = {
      ...booked,
      occurred_at: booked.occurred_at - 40 * 86_400_000, // another month: another ledger partition
      buckets: { ...booked.buckets, output: booked.buckets.output + 7 },
    };
    await publish([booked, resent]);
    await drained();
    const quarantined = await pool.query<{ reason: string; message: string }>(
      "SELECT reason, message FROM tokentally.quarantine WHERE stage = 'pricer' AND event_id = $1",
      [booked.event_id],
    );
    expect(quarantined.rows.map((row) => row.reason)).toEqual(['CONFLICT']);
    expect(quarantined.rows[0]?.message).toMatch(
      new RegExp(
        `already booked with other content \\(occurred_at: .+; output: ${booked.buckets.output} -> ${resent.buckets.output}\\)`,
      ),
    );
    const ledger = await pool.query<{ occurred_at: Date; output_tokens: bigint }>(
      'SELECT occurred_at, output_tokens FROM tokentally.ledger WHERE event_id = $1',
      [booked.event_id],
    );
    expect(ledger.rows).toEqual([
      { occurred_at: new Date(booked.occurred_at), output_tokens: BigInt(booked.buckets.output) },
    ]);
  });

  it('explains a request: every call with owner, tokens, rate card and components, over HTTP and the CLI', async () => {
    const traceId = `${RUN}-trace-7`;
    const calls = events.filter((e) => e.trace_id === traceId);
    // The pricer serves no ledger data to anyone who can reach it (issue 9 item 12): the finance API
    // does, behind team-scoped tokens (chargeback.int-spec), and the CLI prints the same JSON.
    expect((await fetch(`${pricer.url}/v1/traces/${traceId}/cost`)).status).toBe(404);
    const body = JSON.parse(tally('explain', traceId, '--json')) as {
      calls: {
        event_id: string;
        owner: { team_id: string };
        rate: { rate_card_id: string };
        cost: { total: { nanos: string } };
      }[];
      totals: { calls: number; retries: number; cost: { nanos: string } };
    };
    expect(body.totals.calls).toBe(calls.length);
    expect(body.totals.retries).toBe(calls.filter((c) => c.is_retry).length);
    expect(BigInt(body.totals.cost.nanos)).toBe(calls.reduce((sum, e) => sum + expectedNanos(e), 0n));
    expect(body.calls[0]?.owner.team_id).toBe(TEAM);
    expect(body.calls.map((c) => c.rate.rate_card_id).sort()).toEqual(
      calls.map((c) => `catalog:${c.provider}/${c.model}`).sort(),
    );

    const text = tally('explain', traceId);
    expect(text).toMatch(new RegExp(`trace ${traceId}: ${calls.length} call\\(s\\)`));
    expect(text).toMatch(/catalog:openai\/gpt-4o \(@pydantic\/genai-prices@0\.1\.8\)/);
    expect(text).toMatch(/uncached input/);
  });

  it('explain uses the trace index on a large ledger (no sequential scan)', async () => {
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(
      "EXPLAIN SELECT * FROM tokentally.ledger WHERE trace_id = 'x' ORDER BY occurred_at, event_id",
    );
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index Scan|Bitmap Index Scan/);
  });

  it('reprice books a corrected rate as adjustments, leaves ledger rows alone, and is idempotent', async () => {
    const from = new Date(Math.min(...events.map((e) => e.occurred_at)) - 60_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    // a correction: gpt-4o output was $9 per 1M in this window, not $10
    applyRates(`rate_cards:
  - id: it-gpt-4o-correction
    provider: openai
    model: gpt-4o
    effective_from: ${from}
    prices: { input: "2.5", cache_read: "1.25", output: "9" }
`);
    const gpt = events.filter((e) => e.model === 'gpt-4o');
    const expectedDelta = -gpt.reduce((sum, e) => sum + BigInt(e.buckets.output) * 1000n, 0n);
    const dry = tally(
      'reprice',
      '--from',
      from,
      '--to',
      to,
      '--provider',
      'openai',
      '--model',
      'gpt-4o',
      '--dry-run',
    );
    expect(dry).toMatch(
      new RegExp(`${TEAM}\\s+${gpt.length}\\s+-\\$[\\d,]+\\.\\d\\d \\(${expectedDelta} nano-USD\\)`),
    );
    expect(await adjustmentTotal()).toBe(0n);

    const real = tally('reprice', '--from', from, '--to', to, '--provider', 'openai', '--model', 'gpt-4o');
    expect(real).toMatch(/done: \d+ adjustment row\(s\) written; ledger rows untouched/);
    expect(await adjustmentTotal()).toBe(expectedDelta);
    expect(await ledgerTotals()).toEqual({ rows: BigInt(EVENTS), nanos: expectedTotal });
    expect((await rollupTotals('rollup_daily')).nanos).toBe(expectedTotal + expectedDelta);
    expect((await rollupTotals('rollup_hourly')).nanos).toBe(expectedTotal + expectedDelta);

    const again = tally('reprice', '--from', from, '--to', to, '--provider', 'openai', '--model', 'gpt-4o');
    expect(again).toMatch(/0 priced differently now/);
    expect(await adjustmentTotal()).toBe(expectedDelta);

    const explained = tally('explain', gpt[0]?.trace_id ?? '');
    expect(explained).toMatch(/adjustment -[\d.]+ USD in \d{4}-\d\d by it-gpt-4o-correction \(v\d+\)/);
    applyRates('rate_cards: []\n');
  });

  it('kill -9 of the pricer mid-stream: after restart, no row lost and none doubled', async () => {
    applyRates('rate_cards: []\n');
    await new Promise((resolve) => setTimeout(resolve, 1000)); // > RATES_REFRESH_MS: catalog prices again
    const KILL_STREAM = 30_000;
    const second = Array.from({ length: KILL_STREAM }, (_, n) =>
      buildEnrichedCallEvent(n, { team_id: TEAM, trace_id: `${RUN}-k-${n}` }),
    );
    const before = await ledgerTotals();
    // published while the pricer runs, and the kill lands as soon as the first calls are in the ledger
    const publishing = publish(second);
    // an index probe on the first calls' traces, not a count: the kill must land while it writes
    const firstTraces = second.slice(0, 100).map((e) => e.trace_id);
    await waitUntil(
      'pricer mid-stream',
      async () =>
        (await pool.query('SELECT 1 FROM tokentally.ledger WHERE trace_id = ANY($1) LIMIT 1', [firstTraces]))
          .rowCount === 1,
      60_000,
      10,
    );
    await pricer.kill();
    await publishing;
    const atKill = await ledgerTotals();
    expect(atKill.rows).toBeLessThan(before.rows + BigInt(KILL_STREAM));
    pricer.start();
    await pricer.healthy();
    await drained();
    expect(await ledgerTotals()).toEqual({
      rows: before.rows + BigInt(KILL_STREAM),
      nanos: before.nanos + second.reduce((sum, e) => sum + expectedNanos(e), 0n),
    });
    const adjustments = await adjustmentTotal();
    expect((await rollupTotals('rollup_daily')).nanos).toBe(
      before.nanos + adjustments + second.reduce((sum, e) => sum + expectedNanos(e), 0n),
    );
  });
});
