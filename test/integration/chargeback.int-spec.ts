import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TOPICS, type ChargebackLine, type PricedCallEvent } from '@tokentally/contracts';
import { parquetReadObjects } from 'hyparquet';
import {
  FOCUS_SCHEMA_ID,
  parseCsv,
  validateFocusCsv,
  type FocusMetadata,
} from '@tokentally/domain-chargeback';
import { formatUsd, parseDecimalToNanos } from '@tokentally/domain-money';
import { PriceCatalog, priceEnrichedCall, rateBookFrom } from '@tokentally/domain-pricing';
import { LedgerRepository } from '@tokentally/adapters-postgres-ledger';
import { periodOf } from '@tokentally/domain-ledger';
import { createPool, migrate } from '@tokentally/platform-db';
import { BatchConsumer } from '@tokentally/platform-kafka';
import { silentLogger } from '@tokentally/platform-observability';
import { buildEnrichedCallEvent, KafkaHarness, stackEnv, waitUntil } from '@tokentally/testing';
import { ServiceProcess } from './service-process';
import { tally } from './tally';

const RUN = randomBytes(4).toString('hex');
const A = `cb-a-${RUN}`;
const B = `cb-b-${RUN}`;
const SHARED = `cb-shared-${RUN}`;
const FINANCE = `finance-token-${RUN}-0000`;
const TEAM_A = `team-a-token-${RUN}-0000`;
// A past month of its own (1970-1999), so closing it touches nothing else in the shared test database.
const YEAR = 1970 + (parseInt(RUN.slice(0, 4), 16) % 30);
const MONTH = 2 + (parseInt(RUN.slice(4), 16) % 11);
const PERIOD = `${YEAR}-${String(MONTH).padStart(2, '0')}`;
const PREVIOUS = `${YEAR}-${String(MONTH - 1).padStart(2, '0')}`;
const at = (period: string, day: number): number =>
  Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5)) - 1, day, 12);
const book = rateBookFrom([], [], new PriceCatalog());

function priced(n: number, team: string, occurredAt: number): PricedCallEvent {
  const outcome = priceEnrichedCall(
    buildEnrichedCallEvent(n, {
      event_id: `${RUN}-${team}-${n}-${occurredAt}`,
      trace_id: `${RUN}-trace-${team}-${n}`,
      team_id: team,
      occurred_at: occurredAt,
      owner_source: team === 'unattributed' ? 'unattributed' : 'event',
    }),
    book,
    Date.now(),
  );
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.value;
}

describe('chargeback exporter on the real stack', () => {
  const pool = createPool({ connectionString: stackEnv.databaseUrl, max: 3 });
  const harness = new KafkaHarness();
  const ledger = new LedgerRepository(pool);
  const service = new ServiceProcess('chargeback-exporter', 3215, {
    DATABASE_URL: stackEnv.databaseUrl,
    CHARGEBACK_API_TOKENS: `${FINANCE}:finance,${TEAM_A}:team:${A}`,
    LOG_LEVEL: 'warn',
  });
  const current = [
    ...Array.from({ length: 60 }, (_, n) => priced(n, A, at(PERIOD, 1 + (n % 27)))),
    ...Array.from({ length: 30 }, (_, n) => priced(n, B, at(PERIOD, 2))),
    ...Array.from({ length: 12 }, (_, n) => priced(n, SHARED, at(PERIOD, 3))),
    ...Array.from({ length: 7 }, (_, n) => priced(n, 'unattributed', at(PERIOD, 4))),
  ];
  const previous = Array.from({ length: 40 }, (_, n) => priced(n, A, at(PREVIOUS, 5)));
  const cost = (events: readonly PricedCallEvent[]): bigint =>
    events.reduce((s, e) => s + BigInt(e.cost.total_nanos), 0n);
  const get = (url: string, token?: string): Promise<Response> =>
    fetch(`${service.url}${url}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  beforeAll(async () => {
    await harness.start();
    await migrate(pool);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'org-')), 'org.yaml');
    writeFileSync(
      file,
      `teams:
  - { id: ${A}, name: Search ${RUN}, cost_centre: CC-100, owner: alice@example.com, monthly_budget_usd: "1" }
  - { id: ${B}, name: Support ${RUN}, cost_centre: CC-200 }
  - { id: ${SHARED}, name: Platform ${RUN} }
allocation_rules:
  - { id: shared-${RUN}, source_team: ${SHARED}, method: proportional, targets: [${A}, ${B}] }
`,
    );
    tally('org', 'apply', file);
    expect(await ledger.record(current)).toMatchObject({ inserted: current.length });
    expect(await ledger.record(previous)).toMatchObject({ inserted: previous.length });
    service.start();
    await service.healthy();
  });

  afterAll(async () => {
    await service.stop();
    await harness.stop();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SET LOCAL tokentally.purge_statements = 'on'");
      await client.query('DELETE FROM tokentally.statements WHERE period = ANY($1)', [[PERIOD, PREVIOUS]]);
      await client.query('DELETE FROM tokentally.periods WHERE period = ANY($1)', [[PERIOD, PREVIOUS]]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await pool.query(
      `DELETE FROM tokentally.ledger_event_keys k USING tokentally.ledger l
        WHERE l.event_id = k.event_id AND l.occurred_at = k.occurred_at
          AND (l.team_id = ANY($1) OR (l.team_id = 'unattributed' AND l.period = $2))`,
      [[A, B, SHARED], PERIOD],
    );
    for (const table of ['ledger', 'rollup_hourly', 'rollup_daily', 'rollup_monthly']) {
      await pool.query(`DELETE FROM tokentally.${table} WHERE team_id = ANY($1)`, [[A, B, SHARED]]);
      await pool.query(`DELETE FROM tokentally.${table} WHERE team_id = 'unattributed' AND period = $1`, [
        PERIOD,
      ]);
    }
    await pool.end();
  });

  it('statement totals equal the ledger to the nano; allocated + direct = total; Unattributed = calls without owner', async () => {
    const response = await get(`/v1/statements/${PERIOD}`, FINANCE);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      teams: {
        team_id: string;
        direct_nanos: string;
        allocated_nanos: string;
        total_nanos: string;
        previous_total_nanos: string;
      }[];
      totals: { direct_nanos: string; allocated_nanos: string; total_nanos: string };
      summary: string[];
    };
    const { rows } = await pool.query<{ total: bigint }>(
      'SELECT sum(total_nanos)::bigint AS total FROM tokentally.ledger WHERE period = $1',
      [PERIOD],
    );
    expect(BigInt(body.totals.total_nanos)).toBe(rows[0]?.total);
    expect(BigInt(body.totals.total_nanos)).toBe(cost(current));
    expect(BigInt(body.totals.direct_nanos) + BigInt(body.totals.allocated_nanos)).toBe(
      BigInt(body.totals.total_nanos),
    );
    const team = (id: string) => body.teams.find((t) => t.team_id === id);
    expect(BigInt(team('unattributed')?.total_nanos ?? '')).toBe(
      cost(current.filter((e) => e.team_id === 'unattributed')),
    );
    expect(BigInt(team(SHARED)?.total_nanos ?? '')).toBe(0n);
    expect(BigInt(team(A)?.allocated_nanos ?? '') + BigInt(team(B)?.allocated_nanos ?? '')).toBe(
      cost(current.filter((e) => e.team_id === SHARED)),
    );
    expect(BigInt(team(A)?.previous_total_nanos ?? '')).toBe(cost(previous));
    expect(body.summary.some((line) => line.startsWith(`Team Search ${RUN}: $`))).toBe(true);
    expect(body.summary.some((line) => line.startsWith('Unattributed traffic: $'))).toBe(true);
  });

  it('401 without a token, 403 for another team, 200 for its own; hostile parameters are rejected', async () => {
    expect((await get(`/v1/statements/${PERIOD}`)).status).toBe(401);
    expect((await get(`/v1/statements/${PERIOD}`, 'not-a-token-at-all')).status).toBe(401);
    expect((await get(`/v1/statements/${PERIOD}?team=${B}`, TEAM_A)).status).toBe(403);
    const own = await get(`/v1/statements/${PERIOD}`, TEAM_A);
    expect(own.status).toBe(200);
    const body = (await own.json()) as { teams: { team_id: string }[] };
    expect(body.teams.map((t) => t.team_id)).toEqual([A]);
    expect((await get(`/v1/exports/${PERIOD}?format=csv&team=${B}`, TEAM_A)).status).toBe(403);
    for (const hostile of [
      `/v1/statements/${encodeURIComponent("2026-10' OR '1'='1")}`,
      `/v1/statements/${PERIOD}?team=${encodeURIComponent("x' OR 1=1; DROP TABLE tokentally.ledger; --")}`,
      `/v1/exports/${PERIOD}?format=${encodeURIComponent("csv'; --")}`,
    ])
      expect((await get(hostile, FINANCE)).status).toBe(400);
    const { rows } = await pool.query<{ n: bigint }>(
      'SELECT count(*) AS n FROM tokentally.ledger WHERE period = $1',
      [PERIOD],
    );
    expect(rows[0]?.n).toBe(BigInt(current.length));
    const trace = current.find((e) => e.team_id === B)?.trace_id ?? '';
    expect((await get(`/v1/traces/${trace}/cost`, TEAM_A)).status).toBe(403);
    expect((await get(`/v1/traces/${trace}/cost`, FINANCE)).status).toBe(200);
    expect((await get('/openapi.json')).status).toBe(200);
  });

  it("a team token sees only its own team's numbers in every route and format", async () => {
    const own = cost(current.filter((e) => e.team_id === A));
    type Body = {
      teams: { team_id: string; direct_nanos: string; total_nanos: string }[];
      totals: { direct_nanos: string; total_nanos: string; previous_total_nanos: string };
      summary?: string[];
    };
    const statement = (await (await get(`/v1/statements/${PERIOD}`, TEAM_A)).json()) as Body;
    const exported = (await (await get(`/v1/exports/${PERIOD}?format=json`, TEAM_A)).json()) as Body;
    for (const body of [statement, exported]) {
      expect(body.teams.map((t) => t.team_id)).toEqual([A]);
      // totals are the team's own: direct cost of its calls, plus its share of the shared team
      expect(BigInt(body.totals.direct_nanos)).toBe(own);
      expect(body.totals.total_nanos).toBe(body.teams[0]?.total_nanos);
      expect(BigInt(body.totals.previous_total_nanos)).toBe(cost(previous));
      expect(BigInt(body.totals.total_nanos)).toBeLessThan(cost(current));
    }
    expect(statement.summary?.some((line) => /Unattributed|Support|Platform/.test(line))).toBe(false);
    expect(statement.summary?.find((l) => l.startsWith('Total:'))).toContain(
      formatUsd(BigInt(statement.totals.total_nanos)),
    );
    const csv = parseCsv(await (await get(`/v1/exports/${PERIOD}?format=csv`, TEAM_A)).text());
    expect(new Set(csv.rows.map((r) => r.team_id))).toEqual(new Set([A]));
    const focus = parseCsv(await (await get(`/v1/exports/${PERIOD}?format=focus`, TEAM_A)).text());
    expect(focus.rows.length).toBeGreaterThan(0);
    expect(new Set(focus.rows.map((r) => r.x_team))).toEqual(new Set([A]));
    const budgets = (await (await get(`/v1/budgets/${PERIOD}`, TEAM_A)).json()) as { team_id: string }[];
    expect(budgets.map((b) => b.team_id)).toEqual([A]);
    const text = [
      JSON.stringify(statement),
      JSON.stringify(exported),
      JSON.stringify(csv.rows),
      JSON.stringify(focus.rows),
    ].join('\n');
    for (const other of [B, 'Unattributed', `Support ${RUN}`, cost(current).toString()])
      expect(text).not.toContain(other);
  });

  it('FOCUS export (CSV and Parquet) passes the FOCUS 1.2 rules with its metadata; CSV has a row per team x dimension', async () => {
    const focus = await get(`/v1/exports/${PERIOD}?format=focus`, FINANCE);
    expect(focus.headers.get('content-type')).toMatch(/text\/csv/);
    expect(focus.headers.get('x-focus-schema-id')).toBe(FOCUS_SCHEMA_ID);
    const metadata = (await (await get('/v1/focus/metadata', FINANCE)).json()) as FocusMetadata;
    const text = await focus.text();
    expect(validateFocusCsv(text, metadata)).toEqual([]);
    const { rows } = parseCsv(text);
    expect(rows.length).toBeGreaterThan(0);
    const sum = rows.reduce((s, r) => s + parseDecimalToNanos(r.BilledCost ?? ''), 0n);
    expect(sum).toBe(cost(current));
    // one SKU per model and token type, at the catalog's published per-token price
    const input = rows.find((r) => r.SkuId?.endsWith('/input') && r.x_team === A);
    expect(input?.SkuMeter).toBe('Input Tokens');
    expect(rows.filter((r) => r.x_team === 'unattributed').every((r) => r.SubAccountId === null)).toBe(true);
    const parquet = await get(`/v1/exports/${PERIOD}?format=focus-parquet`, FINANCE);
    expect(parquet.headers.get('content-type')).toMatch(/application\/vnd.apache.parquet/);
    const back = await parquetReadObjects({ file: await parquet.arrayBuffer() });
    expect(back).toEqual(rows);
    const csv = await (await get(`/v1/exports/${PERIOD}?format=csv`, FINANCE)).text();
    expect(csv.split('\n')[0]).toMatch(/^period,team_id,team_name,cost_centre,owner,dimension,key,/);
    expect(csv).toContain(`${PERIOD},${A},Search ${RUN},CC-100,alice@example.com,total,`);
    expect(tally('report', '--period', PERIOD, '--format', 'focus')).toContain(
      'BilledCost,EffectiveCost,ListCost',
    );
  });

  it('closing a period freezes its statement; a late call shows as an adjustment in the open period', async () => {
    const closedText = tally('period', 'close', PERIOD);
    expect(closedText).toMatch(new RegExp(`period ${PERIOD} closed: .* sha256 [0-9a-f]{64}`));
    const hash = /sha256 ([0-9a-f]{64})/.exec(closedText)?.[1];
    expect(closedText).toMatch(
      new RegExp(
        `published \\d+ statement lines of ${PERIOD} to ${TOPICS.chargeback.name.replace(/\./g, '\\.')}`,
      ),
    );
    const published = new Map<string, ChargebackLine>();
    const reader = new BatchConsumer(harness.kafka, harness.registry, {
      groupId: `it-chargeback-${RUN}`,
      topic: TOPICS.chargeback,
      logger: silentLogger,
      handler: async (records) => {
        // the topic keeps lines of earlier runs that drew the same period: only this close's lines count
        for (const { value } of records)
          if (value.statement_hash === hash) published.set(value.line_id, value);
      },
      onPoison: async () => undefined,
    });
    await reader.start();
    try {
      await waitUntil('chargeback lines read', async () => published.has(`${PERIOD}:${A}:total:`), 60_000);
    } finally {
      await reader.stop();
    }
    const lineTotals = [...published.values()]
      .filter((l) => l.dimension === 'total' || l.dimension === 'unattributed')
      .reduce((sum, l) => sum + BigInt(l.total_nanos), 0n);
    expect(lineTotals).toBe(cost(current));
    const before = await (await get(`/v1/statements/${PERIOD}/closed`, FINANCE)).text();
    expect(JSON.parse(before)).toMatchObject({ period: PERIOD });
    expect((await get(`/v1/statements/${PERIOD}/closed`, TEAM_A)).status).toBe(403);
    expect(() => tally('period', 'close', PERIOD)).toThrow(/already closed/);

    const late = priced(999, A, at(PERIOD, 20));
    expect(await ledger.record([late])).toEqual({ inserted: 1, duplicates: 0, conflicts: [] });
    const after = await (await get(`/v1/statements/${PERIOD}/closed`, FINANCE)).text();
    // (asked right after the last request: a connection idle past the server's keep-alive may be closed)
    // in FOCUS the late call is Usage of its own day, ChargeClass Correction, with its cost
    const focus = await (await get(`/v1/exports/${periodOf(Date.now())}?format=focus`, TEAM_A)).text();
    expect(validateFocusCsv(focus)).toEqual([]);
    const lateRows = parseCsv(focus).rows;
    expect(lateRows.every((r) => r.ChargeCategory === 'Usage' && r.ChargeClass === 'Correction')).toBe(true);
    expect(lateRows.every((r) => (r.ChargePeriodStart ?? '').startsWith(`${PERIOD}-20`))).toBe(true);
    expect(lateRows.reduce((s, r) => s + parseDecimalToNanos(r.BilledCost ?? ''), 0n)).toBe(
      BigInt(late.cost.total_nanos),
    );
    expect(after).toBe(before);
    expect(tally('report', '--period', PERIOD, '--format', 'json')).toBe(before);
    const open = periodOf(Date.now());
    const { rows } = await pool.query<{ adjustment: bigint; total: bigint }>(
      'SELECT sum(adjustment_nanos)::bigint AS adjustment, sum(total_nanos)::bigint AS total FROM tokentally.rollup_daily WHERE team_id = $1 AND period = $2',
      [A, open],
    );
    expect(rows[0]).toEqual({
      adjustment: BigInt(late.cost.total_nanos),
      total: BigInt(late.cost.total_nanos),
    });
    const report = tally('report', '--period', open, '--team', A);
    expect(report).toMatch(/Adjustments booked this period/);
    await expect(
      pool.query('UPDATE tokentally.statements SET statement = $1 WHERE period = $2', ['{}', PERIOD]),
    ).rejects.toThrow(/immutable/);
  });
});
