import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TOPICS, type AlertEvent, type PricedCallEvent, type ProviderCostLine } from '@tokentally/contracts';
import { divideHalfEven, nanosToDecimal, parseDecimalToNanos } from '@tokentally/domain-money';
import { PriceCatalog, priceEnrichedCall, rateBookFrom, resolvePricing } from '@tokentally/domain-pricing';
import { LedgerRepository, OrgRepository } from '@tokentally/adapters-postgres-ledger';
import {
  ProviderCostRepository,
  ReconciliationRepository,
  type StoredCellResult,
} from '@tokentally/adapters-postgres-reconciliation';
import { createPool, migrate } from '@tokentally/platform-db';
import { BatchConsumer } from '@tokentally/platform-kafka';
import { silentLogger } from '@tokentally/platform-observability';
import { buildEnrichedCallEvent, KafkaHarness, stackEnv, waitUntil } from '@tokentally/testing';
import { ServiceProcess } from './service-process';
import { tally } from './tally';

const RUN = randomBytes(4).toString('hex');
const TEAM = `recon-${RUN}`;
const ACCOUNT = `org-${RUN}`;
const TOKEN = `recon-upload-token-${RUN}`;
const MODEL = 'claude-sonnet-4-5';
const book = rateBookFrom([], [], new PriceCatalog());
const card = resolvePricing(book, {
  provider: 'anthropic',
  model: MODEL,
  region: null,
  serviceTier: null,
  at: Date.UTC(2026, 10, 10),
});
if ('problem' in card) throw new Error(card.problem);
const perM = (text: string | undefined): bigint => parseDecimalToNanos(text ?? '0');
const RATE = {
  input: perM(card.card.prices.uncachedInput),
  output: perM(card.card.prices.output),
  cw5m: perM(card.card.prices.cacheWrite5m),
};
/** tokens x price per 1M, in nanos, as the pricer rounds it. */
const cost = (tokens: number, perMillion: bigint): bigint =>
  divideHalfEven(BigInt(tokens) * perMillion, 1_000_000n);

let seq = 0;
function call(
  day: string,
  input: number,
  output: number,
  at = Date.parse(`${day}T12:00:00Z`),
): PricedCallEvent {
  seq += 1;
  const outcome = priceEnrichedCall(
    buildEnrichedCallEvent(1, {
      event_id: `${RUN}-${seq}`,
      trace_id: `${RUN}-trace-${seq}`,
      team_id: TEAM,
      provider: 'anthropic',
      model: MODEL,
      occurred_at: at,
      buckets: {
        uncached_input: input,
        cache_read: 0,
        cache_write_5m: 0,
        cache_write_1h: 0,
        output,
        reasoning: 0,
        units: {},
      },
    }),
    book,
    Date.now(),
  );
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.value;
}
const calls = (n: number, day: string, input = 10_000, output = 1_000): PricedCallEvent[] =>
  Array.from({ length: n }, () => call(day, input, output));

/** One provider line: the cost report's money (cents text) and the usage report's tokens. */
interface Truth {
  day: string;
  type: 'uncached_input_tokens' | 'output_tokens' | 'cache_creation.ephemeral_5m_input_tokens';
  tokens: number;
  nanos: bigint;
  tier?: string;
  window?: string;
  cents?: string;
}
const USAGE_FIELD = {
  uncached_input_tokens: 'uncached_input_tokens',
  output_tokens: 'output_tokens',
  'cache_creation.ephemeral_5m_input_tokens': 'cache_creation',
} as const;

function costReport(truths: Truth[]): string {
  const days = [...new Set(truths.map((t) => t.day))].sort();
  return JSON.stringify({
    data: days.map((day) => ({
      starting_at: `${day}T00:00:00Z`,
      ending_at: `${day}T23:59:59Z`,
      results: truths
        .filter((t) => t.day === day)
        .map((t) => ({
          currency: 'USD',
          amount: t.cents ?? nanosToDecimal(t.nanos * 100n),
          workspace_id: `wrkspc_${RUN}`,
          description: `${MODEL} ${t.type}`,
          cost_type: 'tokens',
          context_window: t.window ?? '0-200k',
          model: MODEL,
          service_tier: t.tier ?? 'standard',
          token_type: t.type,
          inference_geo: 'global',
        })),
    })),
    has_more: false,
    next_page: null,
  });
}

function usageReport(truths: Truth[]): string {
  const days = [...new Set(truths.map((t) => t.day))].sort();
  return JSON.stringify({
    data: days.map((day) => ({
      starting_at: `${day}T00:00:00Z`,
      ending_at: `${day}T23:59:59Z`,
      results: truths
        .filter((t) => t.day === day)
        .map((t) => ({
          workspace_id: `wrkspc_${RUN}`,
          model: MODEL,
          service_tier: t.tier ?? 'standard',
          context_window: t.window ?? '0-200k',
          inference_geo: 'global',
          [USAGE_FIELD[t.type]]:
            t.type === 'cache_creation.ephemeral_5m_input_tokens'
              ? { ephemeral_5m_input_tokens: t.tokens }
              : t.tokens,
        })),
    })),
  });
}

const std = (day: string, input: number, output: number): Truth[] => [
  { day, type: 'uncached_input_tokens', tokens: input, nanos: cost(input, RATE.input) },
  { day, type: 'output_tokens', tokens: output, nanos: cost(output, RATE.output) },
];

// The provider's truth per day, each day with its injected fault (the ledger below is what tokentally saw).
const TRUTHS: Truth[] = [
  ...std('2026-11-10', 120_000, 12_000), // 2 of 12 calls dropped before ingest
  { day: '2026-11-11', type: 'uncached_input_tokens', tokens: 90_000, nanos: cost(90_000, RATE.input) }, // one call never billed
  {
    day: '2026-11-11',
    type: 'output_tokens',
    tokens: 10_000,
    nanos: cost(10_000, RATE.output + 1_000_000_000n),
  }, // price rose $1/1M
  ...std('2026-11-12', 100_000, 10_000), // the ledger counted 2k cache-write tokens per call as input
  {
    day: '2026-11-12',
    type: 'cache_creation.ephemeral_5m_input_tokens',
    tokens: 20_000,
    nanos: cost(20_000, RATE.cw5m),
  },
  ...std('2026-11-13', 100_000, 10_000).map((t) => ({ ...t, tier: 'batch', nanos: t.nanos / 2n })), // batch at half price
  ...std('2026-11-14', 300_000, 2_000).map((t) => ({
    ...t,
    window: '200k-1M',
    nanos: t.type === 'uncached_input_tokens' ? t.nanos * 2n : (t.nanos * 3n) / 2n,
  })), // long-context tier
  ...std('2026-11-15', 9_999, 999).map((t) => ({
    ...t,
    cents: divideHalfEven(t.nanos, 10_000_000n).toString(),
  })), // whole cents
  ...std('2026-11-16', 100_000, 10_000),
  ...std('2026-11-17', 110_000, 11_000), // the 23:59:59.9 call of the 16th, billed on the 17th
];

const LEDGER: PricedCallEvent[] = [
  ...calls(10, '2026-11-10'),
  ...calls(10, '2026-11-11'),
  ...calls(10, '2026-11-12', 12_000, 1_000),
  ...calls(10, '2026-11-13'),
  ...calls(2, '2026-11-14', 150_000, 1_000),
  ...calls(3, '2026-11-15', 3_333, 333),
  ...calls(10, '2026-11-16'),
  call('2026-11-16', 10_000, 1_000, Date.parse('2026-11-16T23:59:59.900Z')),
  ...calls(10, '2026-11-17'),
];

const FOCUS_CREDIT = [
  'BilledCost,EffectiveCost,ListCost,ContractedCost,BillingCurrency,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ChargeClass,ChargeDescription,ServiceName,ServiceCategory,ProviderName,PublisherName,InvoiceIssuerName,BillingAccountId,x_Model',
  `-5.00,-5.00,0,0,USD,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,2026-11-16T00:00:00Z,2026-11-17T00:00:00Z,Credit,,Promotional credit,Claude API,AI and Machine Learning,Anthropic,Anthropic,Anthropic,${ACCOUNT},${MODEL}`,
].join('\n');

describe('reconciler on the real stack', () => {
  const pool = createPool({ connectionString: stackEnv.databaseUrl, max: 3 });
  const dir = mkdtempSync(path.join(tmpdir(), 'tokentally-recon-'));
  const files = {
    usage: path.join(dir, 'usage.json'),
    costs: path.join(dir, 'costs.json'),
    restated: path.join(dir, 'restated.json'),
  };
  const service = new ServiceProcess('reconciler', 3240, {
    DATABASE_URL: stackEnv.databaseUrl,
    RECONCILE_UPLOAD_TOKENS: TOKEN,
    LOG_LEVEL: 'warn',
  });
  const results = async (): Promise<Map<string, StoredCellResult>> => {
    const all = await new ReconciliationRepository(pool).results('2026-11-10', '2026-11-17');
    return new Map(
      all.filter((r) => r.accountId === ACCOUNT).map((r) => [`${r.usageDate} ${r.tokenType ?? 'all'}`, r]),
    );
  };
  const classes = (cell: StoredCellResult | undefined): Record<string, bigint> => {
    if (!cell) throw new Error('no such cell');
    const found: Record<string, bigint> = Object.fromEntries(
      cell.explanations.map((e) => [e.class, e.nanos] as const),
    );
    return { ...found, unexplained: cell.unexplainedNanos };
  };

  beforeAll(async () => {
    await migrate(pool);
    await new OrgRepository(pool).apply({
      teams: [{ id: TEAM, name: TEAM, cost_centre: null, owner: null, monthly_budget_nanos: null }],
      api_keys: [],
      service_accounts: [],
      allocation_rules: [],
      provider_accounts: [
        { provider: 'anthropic', account: ACCOUNT, project: null, team: TEAM, api_keys: [] },
      ],
    });
    await new LedgerRepository(pool).record(LEDGER);
    writeFileSync(files.usage, usageReport(TRUTHS));
    writeFileSync(files.costs, costReport(TRUTHS));
    service.start();
    await service.healthy();
  }, 120_000);

  afterAll(async () => {
    await service.stop();
    await pool.end();
  });

  it('imports usage and cost reports and names every injected fault with its exact nanos', async () => {
    tally(
      'reconcile',
      'import',
      files.usage,
      '--format',
      'anthropic-usage-report',
      '--account',
      ACCOUNT,
      '--no-publish',
    );
    const out = tally(
      'reconcile',
      'import',
      files.costs,
      '--format',
      'anthropic-cost-report',
      '--account',
      ACCOUNT,
      '--no-publish',
    );
    expect(out).toContain(
      `costs.json: ${TRUTHS.length} lines (${TRUTHS.length} new, 0 corrected, 0 unchanged)`,
    );
    const cells = await results();
    const expected: [string, Record<string, bigint>][] = [
      ['2026-11-10 input', { missing_in_ledger: cost(20_000, RATE.input) }],
      ['2026-11-10 output', { missing_in_ledger: cost(2_000, RATE.output) }],
      ['2026-11-11 input', { missing_at_provider: -cost(10_000, RATE.input) }],
      ['2026-11-11 output', { price_drift: 10_000_000n }],
      ['2026-11-12 input', { cache_semantics: -cost(20_000, RATE.input) }],
      ['2026-11-12 cache_write_5m', { cache_semantics: cost(20_000, RATE.cw5m) }],
      ['2026-11-13 input', { service_tier: -cost(100_000, RATE.input) / 2n }],
      ['2026-11-13 output', { service_tier: -cost(10_000, RATE.output) / 2n }],
      ['2026-11-14 input', { long_context: cost(300_000, RATE.input) }],
      ['2026-11-14 output', { long_context: cost(2_000, RATE.output) / 2n }],
      ['2026-11-16 input', { day_boundary: -cost(10_000, RATE.input) }],
      ['2026-11-16 output', { day_boundary: -cost(1_000, RATE.output) }],
      ['2026-11-17 input', { day_boundary: cost(10_000, RATE.input) }],
      ['2026-11-17 output', { day_boundary: cost(1_000, RATE.output) }],
    ];
    for (const [key, want] of expected)
      expect([key, classes(cells.get(key))]).toEqual([key, { ...want, unexplained: 0n }]);
    const rounded = cells.get('2026-11-15 output')!;
    expect(classes(rounded)).toEqual({ rounding: rounded.deltaNanos, unexplained: 0n });
    expect(cells.get('2026-11-11 output')!.explanations[0]!.detail).toContain(
      `ledger card ${card.card.id}@${card.card.version}`,
    );
    expect(cells.get('2026-11-12 output')!.status).toBe('matched');
  });

  it('a second import of the same files adds nothing and changes no result', async () => {
    const before = await results();
    const out = tally(
      'reconcile',
      'import',
      files.costs,
      '--format',
      'anthropic-cost-report',
      '--account',
      ACCOUNT,
      '--no-publish',
    );
    expect(out).toContain(`(0 new, 0 corrected, ${TRUTHS.length} unchanged)`);
    const after = await results();
    expect([...after.entries()].map(([k, c]) => [k, c.deltaNanos])).toEqual(
      [...before.entries()].map(([k, c]) => [k, c.deltaNanos]),
    );
    const { rows } = await pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM tokentally.provider_cost_lines WHERE account_id = $1',
      [ACCOUNT],
    );
    expect(Number(rows[0]!.n)).toBe(TRUTHS.length * 2);
  });

  it('a restated day replaces the figure and keeps the correction visible', async () => {
    const restated = TRUTHS.map((t) =>
      t.day === '2026-11-10' && t.type === 'output_tokens' ? { ...t, nanos: t.nanos + 250_000_000n } : t,
    );
    writeFileSync(files.restated, costReport(restated));
    const out = tally(
      'reconcile',
      'import',
      files.restated,
      '--format',
      'anthropic-cost-report',
      '--account',
      ACCOUNT,
      '--no-publish',
    );
    expect(out).toContain(`(0 new, 1 corrected, ${TRUTHS.length - 1} unchanged)`);
    expect(out).toMatch(/correction: line [0-9a-f]{32} revision 2, 250000000 nanos/);
    const corrections = (
      await new ProviderCostRepository(pool).corrections('2026-11-10', '2026-11-10')
    ).filter((c) => c.line.accountId === ACCOUNT);
    expect(corrections.map((c) => [c.revision, c.correctionNanos])).toEqual([[2, 250_000_000n]]);
    const cell = (await results()).get('2026-11-10 output');
    expect(classes(cell)).toEqual({
      missing_in_ledger: cost(2_000, RATE.output),
      price_drift: 250_000_000n,
      unexplained: 0n,
    });
  });

  it('takes an upload over HTTP, reconciles the credit and publishes the line', async () => {
    const response = await fetch(
      `${service.url}/v1/reconciliation/imports?format=focus&file_name=credit.csv`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' },
        body: FOCUS_CREDIT,
      },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      inserted: number;
      cells: { token_type: string | null; explanations: { class: string; nanos: string }[] }[];
    };
    expect(body.inserted).toBe(1);
    const credit = body.cells.find((c) => c.token_type === null);
    expect(credit?.explanations).toEqual([
      { class: 'credits_tax_adjustments', nanos: '-5000000000', detail: 'credit -5 USD' },
    ]);
    expect(
      (await fetch(`${service.url}/v1/reconciliation/imports?format=focus`, { method: 'POST', body: 'x' }))
        .status,
    ).toBe(401);

    const seen: ProviderCostLine[] = [];
    const harness = new KafkaHarness();
    await harness.start();
    const reader = new BatchConsumer(harness.kafka, harness.registry, {
      groupId: `it-reconciler-${RUN}`,
      topic: TOPICS.providerCosts,
      logger: silentLogger,
      handler: async (records) => {
        for (const { value } of records) if (value.account_id === ACCOUNT) seen.push(value);
      },
      onPoison: async () => undefined,
    });
    // the upload's cells beyond tolerance go out as alerts of their own kind
    const alerts: AlertEvent[] = [];
    const alertReader = new BatchConsumer(harness.kafka, harness.registry, {
      groupId: `it-reconciler-alerts-${RUN}`,
      topic: TOPICS.alerts,
      logger: silentLogger,
      handler: async (records) => {
        for (const { value } of records)
          if (value.scope.series === `reconciliation:anthropic/${ACCOUNT}`) alerts.push(value);
      },
      onPoison: async () => undefined,
    });
    await reader.start();
    await alertReader.start();
    try {
      await waitUntil(
        'the credit line on billing.provider-costs.v1',
        async () => seen.some((l) => l.line_type === 'credit'),
        60_000,
      );
      await waitUntil('a reconciliation alert on llm.alerts.v1', async () => alerts.length > 0, 60_000);
    } finally {
      await reader.stop();
      await alertReader.stop();
      await harness.stop();
    }
    expect(new Set(alerts.map((a) => a.kind))).toEqual(new Set(['reconciliation_difference']));
    expect(alerts.every((a) => a.scope.team_id === TEAM)).toBe(true);
    expect(seen.find((l) => l.line_type === 'credit')).toMatchObject({
      cost_nanos: -5_000_000_000,
      revision: 1,
      source: 'focus',
    });
  });

  it('tally reconcile status and show report the month and the open cells', () => {
    const status = tally('reconcile', 'status', '--from', '2026-11-10', '--to', '2026-11-17');
    expect(status).toContain(`anthropic/${ACCOUNT}`);
    expect(status).toContain('BEYOND TOLERANCE');
    const show = tally('reconcile', 'show', '--from', '2026-11-13', '--to', '2026-11-13', '--open');
    expect(show).toContain('service_tier');
  });
});
