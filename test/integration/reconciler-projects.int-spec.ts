import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PricedCallEvent } from '@tokentally/contracts';
import { PriceCatalog, priceEnrichedCall, rateBookFrom } from '@tokentally/domain-pricing';
import { LedgerRepository, OrgRepository } from '@tokentally/adapters-postgres-ledger';
import { ReconciliationRepository } from '@tokentally/adapters-postgres-reconciliation';
import { createPool, migrate } from '@tokentally/platform-db';
import { buildEnrichedCallEvent, stackEnv } from '@tokentally/testing';
import { tally } from './tally';

// OpenAI bills per project; the ledger carries the project each call named (project_id), so the
// reconciler compares project by project: a project's dropped calls show on that project alone.
const RUN = randomBytes(4).toString('hex');
const ORG = `org-proj-${RUN}`;
const [A, B] = [`proj-team-a-${RUN}`, `proj-team-b-${RUN}`];
const [PA, PB] = [`proj_a_${RUN}`, `proj_b_${RUN}`];
const DAY = '2026-11-20';
const START = Date.parse(`${DAY}T00:00:00Z`) / 1000;
const book = rateBookFrom([], [], new PriceCatalog());

let seq = 0;
function calls(n: number, team: string, project: string): PricedCallEvent[] {
  return Array.from({ length: n }, () => {
    seq += 1;
    const outcome = priceEnrichedCall(
      buildEnrichedCallEvent(0, {
        event_id: `${RUN}-${seq}`,
        trace_id: `${RUN}-t-${seq}`,
        occurred_at: Date.parse(`${DAY}T10:00:00Z`) + seq,
        team_id: team,
        provider: 'openai',
        model: 'gpt-4o', // $2.50 / $10 per 1M: 2,500 and 10,000 nanos a token
        project_id: project,
        buckets: {
          uncached_input: 10_000,
          cache_read: 0,
          cache_write_5m: 0,
          cache_write_1h: 0,
          output: 1_000,
          reasoning: 0,
          units: {},
        },
      }),
      book,
      Date.now(),
    );
    if (!outcome.ok) throw new Error(outcome.message);
    return outcome.value;
  });
}

const page = (results: unknown[]) => ({
  object: 'page',
  data: [{ object: 'bucket', start_time: START, end_time: START + 86_400, results }],
  has_more: false,
  next_page: null,
});
// the provider's truth: project A as booked, project B with 2 more calls than the ledger saw
const BILLED = [
  { project: PA, input: 100_000, output: 10_000 },
  { project: PB, input: 120_000, output: 12_000 },
];
const USAGE = JSON.stringify(
  page(
    BILLED.map((b) => ({
      object: 'organization.usage.completions.result',
      input_tokens: b.input,
      input_cached_tokens: 0,
      output_tokens: b.output,
      num_model_requests: b.input / 10_000,
      project_id: b.project,
      model: 'gpt-4o-2024-08-06',
      batch: false,
    })),
  ),
);
const COSTS = `[${JSON.stringify(
  page(
    BILLED.flatMap((b) =>
      [
        ['input', (b.input * 2.5) / 1_000_000],
        ['output', (b.output * 10) / 1_000_000],
      ].map(([type, usd]) => ({
        object: 'organization.costs.result',
        amount: { value: usd, currency: 'usd' },
        line_item: `gpt-4o-2024-08-06, ${type}`,
        project_id: b.project,
        organization_id: ORG,
      })),
    ),
  ),
)}]`;

describe('reconciliation per provider project on the real stack', () => {
  const pool = createPool({ connectionString: stackEnv.databaseUrl, max: 3 });
  const dir = mkdtempSync(path.join(tmpdir(), 'tokentally-projects-'));

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
      teams: [team(A), team(B)],
      api_keys: [],
      service_accounts: [],
      allocation_rules: [],
      provider_accounts: [
        { provider: 'openai', account: ORG, project: PA, team: A, api_keys: [] },
        { provider: 'openai', account: ORG, project: PB, team: B, api_keys: [] },
      ],
    });
    // team A also spends on team B's project: the project, not the team, says whose bill it is
    await new LedgerRepository(pool).record([...calls(10, A, PA), ...calls(4, A, PB), ...calls(6, B, PB)]);
    writeFileSync(path.join(dir, 'usage.json'), USAGE);
    writeFileSync(path.join(dir, 'costs.json'), COSTS);
  }, 60_000);

  afterAll(() => pool.end());

  it('compares each project with the calls that named it, and drops the cells an earlier run left', async () => {
    const results = new ReconciliationRepository(pool);
    // a cell from an account-level run of the same day: the project-level run replaces it
    await results.save([
      {
        resultId: `stale-${RUN}`,
        provider: 'openai',
        accountId: ORG,
        model: 'gpt-4o',
        usageDate: DAY,
        tokenType: 'input',
        ledgerNanos: 1n,
        providerNanos: 2n,
        deltaNanos: 1n,
        deltaBp: 5000,
        toleranceBp: 100,
        status: 'over_tolerance',
        provisional: false,
        ledgerQuantity: 0n,
        providerQuantity: 0n,
        explanations: [],
        unexplainedNanos: 1n,
        computedAt: new Date(),
      },
    ]);
    tally(
      'reconcile',
      'import',
      path.join(dir, 'usage.json'),
      '--format',
      'openai-usage',
      '--account',
      ORG,
      '--no-publish',
    );
    tally(
      'reconcile',
      'import',
      path.join(dir, 'costs.json'),
      '--format',
      'openai-costs',
      '--account',
      ORG,
      '--no-publish',
    );
    const cells = (await results.results(DAY, DAY)).filter((c) => c.accountId.startsWith(ORG));
    expect(
      cells
        .map((c) => [
          c.accountId,
          c.tokenType,
          c.ledgerQuantity,
          c.providerQuantity,
          c.deltaNanos,
          c.explanations.map((e) => [e.class, e.nanos]),
        ])
        .sort((x, y) => String(x).localeCompare(String(y))),
    ).toEqual([
      [`${ORG}/${PA}`, 'input', 100_000n, 100_000n, 0n, []],
      [`${ORG}/${PA}`, 'output', 10_000n, 10_000n, 0n, []],
      [`${ORG}/${PB}`, 'input', 100_000n, 120_000n, 50_000_000n, [['missing_in_ledger', 50_000_000n]]],
      [`${ORG}/${PB}`, 'output', 10_000n, 12_000n, 20_000_000n, [['missing_in_ledger', 20_000_000n]]],
    ]);
    const status = tally('reconcile', 'status', '--from', DAY, '--to', DAY);
    expect(status).toMatch(new RegExp(`openai/${ORG}/${PB} .*BEYOND TOLERANCE`));
    expect(status).toMatch(new RegExp(`openai/${ORG}/${PA} .*within tolerance`));
  });
});
