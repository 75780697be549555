import { buildStatement, type UsageRow } from './statement';
import { auditSummary } from './summary';

const USD = 1_000_000_000n;
const row = (team: string, usd: bigint, extra: Partial<UsageRow> = {}): UsageRow => ({
  team_id: team,
  feature: 'search',
  workflow: 'answer',
  model: 'gpt-4o',
  provider: 'openai',
  environment: 'prod',
  user_ref: 'u1',
  calls: 10n,
  retries: 1n,
  input_tokens: 1000n,
  cache_read_tokens: 0n,
  cache_write_5m_tokens: 0n,
  cache_write_1h_tokens: 0n,
  output_tokens: 100n,
  reasoning_tokens: 0n,
  total_nanos: usd * USD,
  adjustment_nanos: 0n,
  ...extra,
});
const teams = [
  { id: 'search', name: 'Search', cost_centre: 'CC-100', owner: 'alice', monthly_budget_nanos: 5000n * USD },
  { id: 'support', name: 'Support', cost_centre: 'CC-200', owner: 'bob', monthly_budget_nanos: null },
  { id: 'platform', name: 'Platform', cost_centre: 'CC-900', owner: 'carol', monthly_budget_nanos: null },
];

describe('buildStatement', () => {
  const statement = buildStatement({
    period: '2026-10',
    previousPeriod: '2026-09',
    rows: [
      row('search', 3860n),
      row('search', 1000n, { feature: 'summaries', model: 'claude-sonnet-4-5', user_ref: 'u2' }),
      row('support', 2000n),
      row('platform', 1001n, { total_nanos: 1001n * USD + 1n }),
      row('unattributed', 1090n),
    ],
    previousRows: [row('search', 3522n), row('support', 2500n), row('platform', 900n)],
    teams,
    rules: [
      {
        id: 'shared',
        rule: { source_team: 'platform', method: 'proportional', targets: ['search', 'support'] },
      },
    ],
  });
  const team = (id: string) => statement.teams.find((t) => t.team_id === id);

  it('totals equal the rows: direct sums the rows, allocation moves cost without creating or losing a nano', () => {
    const rowsTotal = (3860n + 1000n + 2000n + 1001n + 1090n) * USD + 1n;
    expect(statement.totals.direct_nanos).toBe(rowsTotal);
    expect(statement.totals.allocated_nanos).toBe(0n);
    expect(statement.totals.total_nanos).toBe(rowsTotal);
    // platform's 1001.000000001 split 4860 : 2000 over search and support, largest remainder
    expect(team('platform')?.allocated_nanos).toBe(-(1001n * USD + 1n));
    expect((team('search')?.allocated_nanos ?? 0n) + (team('support')?.allocated_nanos ?? 0n)).toBe(
      1001n * USD + 1n,
    );
    // search: 1,001,000,000,001 x 4860 / 6860 = 709,163,265,306.83; support: x 2000 / 6860 = 291,836,734,694.17;
    // the floors leave 1 nano, which goes to the larger remainder (search)
    expect(team('search')?.allocated_nanos).toBe(709_163_265_307n);
    expect(team('support')?.allocated_nanos).toBe(291_836_734_694n);
    expect(team('platform')?.total_nanos).toBe(0n);
  });

  it('shows unattributed as its own row, changes vs the previous period, drivers and budget', () => {
    expect(team('unattributed')).toMatchObject({
      name: 'Unattributed',
      direct_nanos: 1090n * USD,
      requests: 10n,
    });
    const search = team('search');
    expect(search?.direct_nanos).toBe(4860n * USD);
    // workflow answer: 3522 -> 4860 (+1338); feature summaries: 0 -> 1000
    expect(search?.drivers[0]).toMatchObject({
      dimension: 'workflow',
      key: 'answer',
      change_nanos: 1338n * USD,
    });
    expect(search?.drivers[1]).toMatchObject({
      dimension: 'feature',
      key: 'summaries',
      change_nanos: 1000n * USD,
    });
    // (4860 + 709.163265307) / 5000 = 111.38%
    expect(search?.budget?.used_percent).toBe('111.4');
    expect(search?.breakdown.user_ref.map((l) => l.key)).toEqual(['u1', 'u2']);
  });

  it('says it in words', () => {
    const lines = auditSummary(statement);
    expect(lines[0]).toMatch(
      /^Team Search: \$5,569\.16 in \d{4}-\d{2} \(incl\. \+\$709\.16 shared cost\), up 37\.6% \(from \$4,048\.37\); drivers: workflow answer \+\$1,338\.00/,
    );
    expect(lines).toContain(
      'Unattributed traffic: $1,090.00, needs cleanup (10 calls without a resolved owner)',
    );
    expect(lines.some((l) => l.startsWith('Budget: Search used 111.4% of $5,000.00, over budget'))).toBe(
      true,
    );
  });

  it('takes the top user_refs ranked by the database when given, with their previous cost', () => {
    const ranked = buildStatement({
      period: '2026-10',
      previousPeriod: '2026-09',
      rows: [row('search', 5n, { user_ref: '' })],
      previousRows: [],
      teams,
      rules: [],
      users: {
        current: [{ team_id: 'search', user_ref: 'u9', calls: 4n, total_nanos: 5n * USD }],
        previous: [{ team_id: 'search', user_ref: 'u9', calls: 1n, total_nanos: 2n * USD }],
      },
    });
    expect(ranked.teams.find((t) => t.team_id === 'search')?.breakdown.user_ref).toEqual([
      { key: 'u9', nanos: 5n * USD, previous_nanos: 2n * USD, calls: 4n },
    ]);
  });

  it('fixed shares and a single owner also sum to the source exactly', () => {
    const fixed = buildStatement({
      period: '2026-10',
      previousPeriod: '2026-09',
      rows: [row('platform', 0n, { total_nanos: 100n }), row('search', 1n)],
      previousRows: [],
      teams,
      rules: [
        {
          id: 'f',
          rule: { source_team: 'platform', method: 'fixed', shares: { search: 33.3, support: 66.7 } },
        },
      ],
    });
    const got = fixed.teams.map((t) => [t.team_id, t.allocated_nanos]);
    expect(got).toEqual(
      expect.arrayContaining([
        ['platform', -100n],
        ['search', 33n],
        ['support', 67n],
      ]),
    );
    const owner = buildStatement({
      period: '2026-10',
      previousPeriod: '2026-09',
      rows: [row('platform', 7n)],
      previousRows: [],
      teams,
      rules: [{ id: 'o', rule: { source_team: 'platform', method: 'owner', owner: 'support' } }],
    });
    expect(owner.teams.find((t) => t.team_id === 'support')?.total_nanos).toBe(7n * USD);
  });
});
