import { buildStatement, type UsageRow } from './statement';
import { scopeStatement, teamSummary } from './team-scope';

const USD = 1_000_000_000n;
const row = (team: string, usd: bigint): UsageRow => ({
  team_id: team,
  feature: 'search',
  workflow: 'answer',
  model: 'gpt-4o',
  provider: 'openai',
  environment: 'prod',
  user_ref: 'u1',
  calls: 10n,
  retries: 0n,
  input_tokens: 1000n,
  cache_read_tokens: 0n,
  cache_write_5m_tokens: 0n,
  cache_write_1h_tokens: 0n,
  output_tokens: 100n,
  reasoning_tokens: 0n,
  total_nanos: usd * USD,
  adjustment_nanos: 0n,
});

describe('scopeStatement', () => {
  const statement = buildStatement({
    period: '2026-10',
    previousPeriod: '2026-09',
    rows: [row('search', 300n), row('support', 200n), row('platform', 100n), row('unattributed', 50n)],
    previousRows: [row('search', 250n), row('support', 900n)],
    teams: [],
    rules: [
      {
        id: 'shared',
        rule: { source_team: 'platform', method: 'fixed', shares: { search: 50, support: 50 } },
      },
    ],
  });

  it.each([
    ['search', 300n * USD, 350n * USD, 250n * USD],
    ['support', 200n * USD, 250n * USD, 900n * USD],
    ['unattributed', 50n * USD, 50n * USD, 0n],
    ['nobody', 0n, 0n, 0n],
  ])('%s sees its own row and totals of that row only', (team, direct, total, previous) => {
    const scoped = scopeStatement(statement, team);
    expect(scoped.teams.map((t) => t.team_id)).toEqual(team === 'nobody' ? [] : [team]);
    expect(scoped.totals).toEqual({
      direct_nanos: direct,
      allocated_nanos: total - direct,
      total_nanos: total,
      previous_total_nanos: previous,
    });
  });

  it('the summary of a team leaves out the org-level Unattributed line and other teams', () => {
    const lines = teamSummary(statement, 'search');
    expect(lines.join('\n')).not.toMatch(/Unattributed|support|\$1,[0-9]{3}/i);
    expect(lines.at(-1)).toBe('Total: $350.00 (previous period $250.00)');
    expect(teamSummary(statement, 'unattributed')).toContain(
      'Unattributed traffic: $50.00, needs cleanup (10 calls without a resolved owner)',
    );
  });
});
