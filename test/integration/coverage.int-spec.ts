import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EnrichedCallEvent, PricedCallEvent } from '@tokentally/contracts';
import { PriceCatalog, priceEnrichedCall, rateBookFrom } from '@tokentally/domain-pricing';
import { isoWeek } from '@tokentally/domain-reconciliation';
import { LedgerRepository, OrgRepository } from '@tokentally/adapters-postgres-ledger';
import { createPool, migrate, QuarantineRepository } from '@tokentally/platform-db';
import { buildEnrichedCallEvent, stackEnv } from '@tokentally/testing';
import { ServiceProcess } from './service-process';
import { tally } from './tally';

// A week of its own, far from every other suite's days, so the org-wide figures are this suite's alone.
const RUN = randomBytes(4).toString('hex');
const WEEK = isoWeek(`${2041 + randomInt(50)}-W${String(10 + randomInt(30)).padStart(2, '0')}`);
const TUESDAY = Date.parse(`${WEEK.from}T00:00:00Z`) + 86_400_000;
const DAY = new Date(TUESDAY).toISOString().slice(0, 10);
const NEXT_DAY = new Date(TUESDAY + 86_400_000).toISOString().slice(0, 10);
const PERIOD = DAY.slice(0, 7);
const TEAM = `cov-${RUN}`;
const OTHER = `cov-other-${RUN}`;
const ACCOUNT = `org-cov-${RUN}`;
const FINANCE = `finance-coverage-token-${RUN}`;
const TEAM_TOKEN = `team-coverage-token-${RUN}`;
const OTHER_TOKEN = `other-coverage-token-${RUN}`;
const MODEL = 'claude-sonnet-4-5'; // $3 / $15 per 1M: 3,000 and 15,000 nanos a token, every figure exact
const book = rateBookFrom([], [], new PriceCatalog());

let seq = 0;
function call(over: Partial<EnrichedCallEvent>): PricedCallEvent {
  seq += 1;
  const outcome = priceEnrichedCall(
    buildEnrichedCallEvent(1, {
      event_id: `${RUN}-${seq}`,
      trace_id: `${RUN}-trace-${seq}`,
      occurred_at: TUESDAY + 12 * 3_600_000 + seq,
      provider: 'anthropic',
      model: MODEL,
      workflow: null,
      environment: 'prod',
      api_key_id: null,
      service_account: null,
      gateway_id: null,
      buckets: {
        uncached_input: 10_000,
        cache_read: 0,
        cache_write_5m: 0,
        cache_write_1h: 0,
        output: 1_000,
        reasoning: 0,
        units: {},
      },
      ...over,
    }),
    book,
    Date.now(),
  );
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.value;
}
const CALL_NANOS = 45_000_000n; // 10,000 x 3,000 + 1,000 x 15,000
const unowned = (over: Partial<EnrichedCallEvent>) =>
  call({ team_id: 'unattributed', owner_source: 'unattributed', ...over });
const LEDGER = [
  ...Array.from({ length: 10 }, () => call({ team_id: TEAM, owner_source: 'event' })),
  ...Array.from({ length: 3 }, () => unowned({ api_key_id: `sha256:lost-${RUN}`, gateway_id: `gw-${RUN}` })),
  ...Array.from({ length: 2 }, () => unowned({ gateway_id: `gw-${RUN}` })),
  unowned({ environment: 'dev' }),
];

// The provider billed 15 calls' tokens on the account; the ledger saw 10 of them.
const FOCUS = [
  'BilledCost,EffectiveCost,ListCost,ContractedCost,BillingCurrency,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ChargeClass,ChargeDescription,ServiceName,ServiceCategory,ProviderName,PublisherName,InvoiceIssuerName,BillingAccountId,ConsumedQuantity,ConsumedUnit,x_Model,x_TokenType',
  ...[
    ['0.45', '150000', 'input'],
    ['0.225', '15000', 'output'],
  ].map(
    ([cost, tokens, type]) =>
      `${cost},${cost},${cost},${cost},USD,${PERIOD}-01T00:00:00Z,${PERIOD}-28T00:00:00Z,${DAY}T00:00:00Z,${NEXT_DAY}T00:00:00Z,Usage,,${type} tokens,Claude API,AI and Machine Learning,Anthropic,Anthropic,Anthropic,${ACCOUNT},${tokens},Tokens,${MODEL},${type}`,
  ),
].join('\n');

describe('weekly coverage and reconciliation status on the real stack', () => {
  const pool = createPool({ connectionString: stackEnv.databaseUrl, max: 3 });
  const service = new ServiceProcess('chargeback-exporter', 3227, {
    DATABASE_URL: stackEnv.databaseUrl,
    CHARGEBACK_API_TOKENS: `${FINANCE}:finance,${TEAM_TOKEN}:team:${TEAM},${OTHER_TOKEN}:team:${OTHER}`,
    LOG_LEVEL: 'warn',
  });
  const get = async (
    url: string,
    token?: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(
      `${service.url}${url}`,
      token ? { headers: { authorization: `Bearer ${token}` } } : {},
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    await migrate(pool);
    const team = (id: string) => ({
      id,
      name: id,
      cost_centre: null,
      owner: null,
      monthly_budget_nanos: null,
    });
    await new OrgRepository(pool).apply({
      teams: [team(TEAM), team(OTHER)],
      api_keys: [],
      service_accounts: [],
      allocation_rules: [],
      provider_accounts: [
        { provider: 'anthropic', account: ACCOUNT, project: null, team: TEAM, api_keys: [] },
      ],
    });
    await new LedgerRepository(pool).record(LEDGER);
    const quarantined = (reason: 'MISSING_OWNER' | 'CONFLICT', n: number) => ({
      quarantine_id: `${RUN}-q-${reason}-${n}`,
      event_id: `${RUN}-q-${n}`,
      trace_id: null,
      stage: reason === 'CONFLICT' ? ('pricer' as const) : ('enricher' as const),
      reason,
      message: 'test',
      source_topic: null,
      source_partition: null,
      source_offset: null,
      original_payload: Buffer.from('{}'),
      payload_encoding: 'json' as const,
      sealed: false,
      quarantined_at: TUESDAY + 3_600_000,
      attempts: 0,
    });
    await new QuarantineRepository(pool).insert([
      ...[1, 2, 3, 4].map((n) => quarantined('MISSING_OWNER', n)),
      quarantined('CONFLICT', 5),
    ]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'coverage-')), 'focus.csv');
    writeFileSync(file, FOCUS);
    tally('reconcile', 'import', file, '--format', 'focus', '--provider', 'anthropic', '--no-publish');
    service.start();
    await service.healthy();
  }, 120_000);

  afterAll(async () => {
    await service.stop();
    await pool.end();
  });

  it('ranks the broken hops, estimates quarantine and adds the spend the ledger never saw', async () => {
    const { status, body } = await get(`/v1/coverage?week=${WEEK.week}`, FINANCE);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      week: WEEK.week,
      from: WEEK.from,
      to: WEEK.to,
      ledger_calls: '16',
      ledger_nanos: String(16n * CALL_NANOS),
      unattributed_calls: '6',
      unattributed_nanos: String(6n * CALL_NANOS),
      unattributed_bp: 3750,
      target_bp: 200,
      within_target: false,
      broken_hops: [
        {
          hop: 'api_key',
          value: `sha256:lost-${RUN}`,
          calls: '3',
          nanos: String(3n * CALL_NANOS),
          share_bp: 5000,
        },
        { hop: 'gateway', value: `gw-${RUN}`, calls: '2', nanos: String(2n * CALL_NANOS), share_bp: 3333 },
        { hop: 'environment', value: 'dev', calls: '1', nanos: String(CALL_NANOS), share_bp: 1667 },
      ],
      quarantine: {
        mean_call_nanos: String(CALL_NANOS),
        estimated_nanos: String(4n * CALL_NANOS),
        reasons: [
          {
            reason: 'MISSING_OWNER',
            stage: 'enricher',
            count: '4',
            estimated_nanos: String(4n * CALL_NANOS),
          },
          { reason: 'CONFLICT', stage: 'pricer', count: '1', estimated_nanos: '0' },
        ],
      },
      missing_in_ledger: {
        nanos: '225000000',
        accounts: [{ provider: 'anthropic', account_id: ACCOUNT, nanos: '225000000', cells: 2 }],
      },
      // (270 + 180 + 225) / (720 + 180 + 225) million nanos
      uncovered_bp: 6000,
    });
  });

  it('prints the same report from the CLI', () => {
    const json = JSON.parse(tally('coverage', '--week', WEEK.week, '--json')) as unknown;
    expect(json).toMatchObject({ unattributed_bp: 3750, uncovered_bp: 6000 });
    const text = tally('coverage', '--week', WEEK.week);
    expect(text).toContain('37.50%, target below 2.00%: MISSED');
    expect(text).toContain('~$0.18 estimated at $0.045 per call');
    expect(text).toMatch(new RegExp(`api_key\\s+sha256:lost-${RUN}\\s+3 calls`));
    expect(text).toContain(`anthropic/${ACCOUNT}  $0.22 in 2 cells`);
  });

  it('coverage is for finance tokens only and validates the week', async () => {
    expect((await get(`/v1/coverage?week=${WEEK.week}`)).status).toBe(401);
    expect((await get(`/v1/coverage?week=${WEEK.week}`, TEAM_TOKEN)).status).toBe(403);
    expect((await get(`/v1/coverage?week=2026-47`, FINANCE)).status).toBe(400);
    expect((await get(`/v1/coverage?week=2026-W47';--`, FINANCE)).status).toBe(400);
  });

  it("statements and the reconciliation route show the period's status with open differences by class", async () => {
    const expected = {
      period: PERIOD,
      status: 'beyond_tolerance',
      provider_nanos: '675000000',
      ledger_nanos: '450000000',
      delta_nanos: '225000000',
      open_cells: 2,
      open_by_class: { missing_in_ledger: '225000000' },
      accounts: [{ provider: 'anthropic', account_id: ACCOUNT, within_tolerance: false, tolerance_bp: 10 }],
    };
    const route = await get(`/v1/reconciliation/${PERIOD}`, FINANCE);
    expect(route.status).toBe(200);
    expect(route.body).toMatchObject(expected);
    const statement = await get(`/v1/statements/${PERIOD}`, FINANCE);
    expect(statement.body.reconciliation).toEqual(route.body);
    // a team token sees its own team's provider accounts, another team none of them
    expect((await get(`/v1/statements/${PERIOD}`, TEAM_TOKEN)).body.reconciliation).toMatchObject(expected);
    expect((await get(`/v1/reconciliation/${PERIOD}`, OTHER_TOKEN)).body).toMatchObject({
      status: 'none',
      accounts: [],
      provider_nanos: '0',
    });
    const report = tally('report', '--period', PERIOD);
    expect(report).toContain(
      `Reconciliation ${PERIOD}: providers $0.68 vs ledger $0.45, delta $0.22 (3333 bp): BEYOND TOLERANCE (provisional)`,
    );
    expect(report).toContain('open differences (2 cells): missing_in_ledger $0.22');
  });
});
