import { DEFAULT_DIGEST_PARAMS, premiumShortOutputs, retriesAboveNormal } from './actions';
import { buildDigest, scopeDigest } from './digest';
import { DigestSchema } from './digest-schema';
import type { DigestAlert, DigestInput, SpendCell } from './digest.ports';
import { parseIsoWeek, previousIsoWeek } from './iso-week';

const cell = (over: Partial<SpendCell>): SpendCell => ({
  team_id: 'search',
  feature: 'classify',
  model: 'gpt-4o',
  workflow: '',
  calls: 0n,
  retries: 0n,
  input_tokens: 0n,
  output_tokens: 0n,
  input_nanos: 0n,
  total_nanos: 0n,
  ...over,
});

// classify: 10,000 calls of gpt-4o ($2.50/1M input) answering 12 tokens on average
const classify = cell({
  calls: 10_000n,
  retries: 10n,
  input_tokens: 5_000_000n,
  output_tokens: 120_000n,
  input_nanos: 12_500_000_000n,
  total_nanos: 13_700_000_000n,
});
// answers: a cheap model whose retries went from 2% to 15% of calls
const answers = cell({
  feature: 'answers',
  model: 'gpt-4o-mini',
  calls: 2_000n,
  retries: 300n,
  input_tokens: 2_000_000n,
  output_tokens: 400_000n,
  input_nanos: 300_000_000n,
  total_nanos: 40_000_000_000n,
});
const retryAlert: DigestAlert = {
  alert_id: 'al_answers',
  kind: 'retry_storm',
  severity: 'warning',
  status: 'open',
  team_id: 'search',
  feature: 'answers',
  model: null,
  workflow: null,
  window_start: Date.UTC(2026, 10, 18, 9),
  window_end: Date.UTC(2026, 10, 18, 10),
  observed_nanos: 15_000_000_000n,
  baseline_nanos: 10_000_000_000n,
  primary_cause: 'retries',
  explanation: 'Search +$5.00 vs a usual Wednesday: 80% from retries in feature answers',
  drivers: [
    { cause: 'retries', dimension: 'feature', key: 'answers', delta_nanos: 4_000_000_000n, share_bp: 8000 },
    { cause: 'traffic', dimension: 'feature', key: 'answers', delta_nanos: 1_000_000_000n, share_bp: 2000 },
  ],
  feedback: null,
};
const week = parseIsoWeek('2026-W47');
const input: DigestInput = {
  week,
  previous: previousIsoWeek(week),
  teams: [{ team_id: 'search', name: 'Search' }],
  current: [
    classify,
    answers,
    cell({ team_id: 'unattributed', feature: 'misc', calls: 50n, total_nanos: 2_000_000_000n }),
  ],
  prior: [
    { ...classify, calls: 8_000n, retries: 8n, total_nanos: 10_960_000_000n },
    { ...answers, retries: 40n, total_nanos: 30_000_000_000n },
  ],
  alerts: [retryAlert],
  budgets: [
    {
      source: 'team',
      team_id: 'search',
      feature: null,
      environment: null,
      period: '2026-11',
      budget_nanos: 100_000_000_000n,
      spent_nanos: 60_000_000_000n,
    },
    {
      source: 'feature',
      team_id: 'search',
      feature: 'answers',
      environment: null,
      period: '2026-11',
      budget_nanos: 50_000_000_000n,
      spent_nanos: 40_000_000_000n,
    },
  ],
  quarantined: [{ reason: 'MISSING_OWNER', events: 3n }],
};

describe('the weekly audit digest', () => {
  const digest = buildDigest(input);
  const search = digest.teams.find((t) => t.team_id === 'search');

  it('sums each team and the org to the nano and says which weeks it compares', () => {
    expect(digest).toMatchObject({
      week: '2026-W47',
      previous_week: '2026-W46',
      from: '2026-11-16T00:00:00.000Z',
      to: '2026-11-23T00:00:00.000Z',
      totals: {
        spend_nanos: 55_700_000_000n,
        previous_nanos: 40_960_000_000n,
        change_nanos: 14_740_000_000n,
      },
    });
    expect(search).toMatchObject({
      spend_nanos: 53_700_000_000n,
      previous_nanos: 40_960_000_000n,
      change_nanos: 12_740_000_000n,
      change_bp: 3110n, // 12.74 / 40.96 = 31.10%
      calls: 12_000n,
      previous_calls: 10_000n,
    });
    expect(digest.teams.map((t) => t.team_id)).toEqual(['search', 'unattributed']);
  });

  it('explains the top changes exactly (number of calls vs cost per call) with the alerts that carry them', () => {
    expect(search?.top_changes).toEqual([
      {
        dimension: 'feature',
        key: 'answers',
        spend_nanos: 40_000_000_000n,
        previous_nanos: 30_000_000_000n,
        change_nanos: 10_000_000_000n,
        volume_nanos: 0n,
        cost_per_call_nanos: 10_000_000_000n,
        explanation:
          'feature answers +$10.00 vs the previous week: +$0.00 from the number of calls (2000 -> 2000), +$10.00 from cost per call',
        alerts: [{ alert_id: 'al_answers', kind: 'retry_storm', explanation: retryAlert.explanation }],
      },
      {
        dimension: 'model',
        key: 'gpt-4o-mini',
        spend_nanos: 40_000_000_000n,
        previous_nanos: 30_000_000_000n,
        change_nanos: 10_000_000_000n,
        volume_nanos: 0n,
        cost_per_call_nanos: 10_000_000_000n,
        alerts: [],
        explanation:
          'model gpt-4o-mini +$10.00 vs the previous week: +$0.00 from the number of calls (2000 -> 2000), +$10.00 from cost per call',
      },
      {
        dimension: 'feature',
        key: 'classify',
        spend_nanos: 13_700_000_000n,
        previous_nanos: 10_960_000_000n,
        change_nanos: 2_740_000_000n,
        volume_nanos: 2_740_000_000n,
        cost_per_call_nanos: 0n,
        alerts: [],
        explanation:
          'feature classify +$2.74 vs the previous week: +$2.74 from the number of calls (8000 -> 10000), +$0.00 from cost per call',
      },
    ]);
    for (const change of search?.top_changes ?? [])
      expect(change.volume_nanos + change.cost_per_call_nanos).toBe(change.change_nanos);
    expect(search?.alert_drivers).toEqual([
      { cause: 'retries', delta_nanos: 4_000_000_000n },
      { cause: 'traffic', delta_nanos: 1_000_000_000n },
    ]);
  });

  it('reports budgets month-to-date with a linear projection to the month end', () => {
    // 22 of November's 30 days have passed when W47 ends: 60 x 30 / 22 = 81.818181818...
    expect(search?.budgets).toEqual([
      {
        source: 'team',
        feature: null,
        environment: null,
        period: '2026-11',
        budget_nanos: 100_000_000_000n,
        spent_nanos: 60_000_000_000n,
        used_bp: 6000n,
        projected_nanos: 81_818_181_818n,
      },
      {
        source: 'feature',
        feature: 'answers',
        environment: null,
        period: '2026-11',
        budget_nanos: 50_000_000_000n,
        spent_nanos: 40_000_000_000n,
        used_bp: 8000n,
        projected_nanos: 54_545_454_545n,
      },
    ]);
    expect(search?.open_alerts.map((a) => a.alert_id)).toEqual(['al_answers']);
  });

  it('measures unowned spend against the whole week', () => {
    expect(digest.unattributed).toEqual({
      spend_nanos: 2_000_000_000n,
      total_nanos: 55_700_000_000n,
      share_bp: 359n,
      quarantined: [{ reason: 'MISSING_OWNER', events: 3n }],
    });
  });

  it('suggests actions by pure rules, largest impact first', () => {
    expect(digest.actions.map((a) => [a.rule, a.team_id, a.feature, a.impact_nanos])).toEqual([
      ['premium_model_short_outputs', 'search', 'classify', 13_700_000_000n],
      ['retries_above_normal', 'search', 'answers', 6_000_000_000n],
      ['unreviewed_alerts', 'search', null, 5_000_000_000n],
      ['budget_pace', 'search', 'answers', 4_545_454_545n],
      ['unattributed_spend', null, null, 2_000_000_000n],
    ]);
    expect(digest.actions[0]?.message).toBe(
      'classify: 10,000 calls to gpt-4o (input $2.50/1M tokens) averaged 12 output tokens, $13.70 this week: short classifications on a premium model; try a smaller model on a sample and compare',
    );
    expect(digest.actions[1]?.message).toBe(
      'answers: 15.00% of calls were retries (2.00% the week before), about $6.00 spent on retries; check the failing dependency and the retry policy',
    );
    expect(digest.actions[3]?.message).toBe(
      'on this pace answers ends 2026-11 at $54.55, 109.09% of its $50.00 budget; raise it or cut usage before it crosses',
    );
  });

  it('serialises to the documented JSON shape (bigints as strings), org and team views alike', () => {
    const json = (value: unknown): unknown =>
      JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
    expect(() => DigestSchema.parse(json(digest))).not.toThrow();
    expect(() => DigestSchema.parse(json(scopeDigest(digest, 'search')))).not.toThrow();
  });

  it('gives a team token its own section and actions, and no org-wide figure', () => {
    const own = scopeDigest(digest, 'search');
    expect(own.teams.map((t) => t.team_id)).toEqual(['search']);
    expect(own.totals.spend_nanos).toBe(53_700_000_000n);
    expect(own.unattributed).toBeNull();
    expect(own.actions.every((a) => a.team_id === 'search')).toBe(true);
    expect(own.actions).toHaveLength(4);
  });
});

describe('suggestion rules', () => {
  const p = DEFAULT_DIGEST_PARAMS;

  it('leave a premium model with long answers, and a cheap model with short ones, alone', () => {
    expect(premiumShortOutputs([{ ...classify, output_tokens: 1_000_000n }], p)).toEqual([]);
    expect(premiumShortOutputs([{ ...classify, input_nanos: 1_500_000_000n }], p)).toEqual([]);
    expect(premiumShortOutputs([{ ...classify, calls: 199n }], p)).toEqual([]);
    expect(premiumShortOutputs([classify], p)).toHaveLength(1);
  });

  it('call retries normal when the share did not grow, and need twice the floor without a history', () => {
    expect(retriesAboveNormal([answers], [answers], p)).toEqual([]);
    const big = { ...answers, total_nanos: 100_000_000_000n };
    expect(retriesAboveNormal([{ ...big, retries: 199n }], [], p)).toEqual([]);
    expect(retriesAboveNormal([{ ...big, retries: 200n }], [], p)).toHaveLength(1);
    // 15% retries of $30.00 is $4.50 spent on retries: under the $5.00 worth a suggestion
    expect(retriesAboveNormal([{ ...answers, total_nanos: 30_000_000_000n }], [], p)).toEqual([]);
  });
});
