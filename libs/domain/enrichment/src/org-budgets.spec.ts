import { parseOrgDeclaration } from './org-declaration';

const org = {
  teams: [{ id: 'search' }, { id: 'support' }],
  api_keys: [{ id: 'key-bot', team: 'support' }],
  service_accounts: [{ name: 'svc-etl', team: 'search' }],
};
const problemsOf = (extra: Record<string, unknown>): string[] => {
  const result = parseOrgDeclaration({ ...org, ...extra });
  return result.ok ? [] : result.problems;
};

describe('org declaration: budgets and request caps', () => {
  it('reads monthly team and feature budgets per environment, modes, tuning period and caps', () => {
    const result = parseOrgDeclaration({
      ...org,
      budgets: [
        { team: 'search', monthly_usd: '5000', mode: 'hard' },
        {
          team: 'search',
          feature: 'answers',
          environment: 'prod',
          monthly_usd: '1200.000000001',
          mode: 'hard',
          soft_until: '2026-01-15',
          warn_at_percent: 90,
        },
        { team: 'support', monthly_usd: 300 },
      ],
      request_caps: [
        { service_account: 'svc-etl', per_minute: 600 },
        { api_key: 'key-bot', per_minute: 120 },
      ],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.budgets).toEqual([
      {
        teamId: 'search',
        feature: null,
        environment: null,
        monthlyLimitNanos: 5_000_000_000_000n,
        mode: 'hard',
        softUntil: null,
        warnAtBp: 8000,
      },
      {
        teamId: 'search',
        feature: 'answers',
        environment: 'prod',
        monthlyLimitNanos: 1_200_000_000_001n,
        mode: 'hard',
        softUntil: Date.UTC(2026, 0, 15),
        warnAtBp: 9000,
      },
      {
        teamId: 'support',
        feature: null,
        environment: null,
        monthlyLimitNanos: 300_000_000_000n,
        mode: 'soft',
        softUntil: null,
        warnAtBp: 8000,
      },
    ]);
    expect(result.value.request_caps).toEqual([
      { kind: 'service_account', id: 'svc-etl', perMinute: 600 },
      { kind: 'api_key', id: 'key-bot', perMinute: 120 },
    ]);
  });

  it('names a misspelt or misplaced field by its path instead of dropping it', () => {
    expect(
      problemsOf({
        budgets: [
          { team: 'search', monthly_budget_usd: '10' },
          { team: 'support', monthly_usd: '10', mode: 'strict', env: 'prod' },
        ],
        request_caps: [{ service_account: 'svc-etl', per_min: 5 }],
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^budgets\[0\]: .*monthly_budget_usd/),
        expect.stringMatching(/^budgets\[0\]\.monthly_usd: /),
        expect.stringMatching(/^budgets\[1\]\.mode: /),
        expect.stringMatching(/^budgets\[1\]: .*env/),
        expect.stringMatching(/^request_caps\[0\]: .*per_min/),
        expect.stringMatching(/^request_caps\[0\]\.per_minute: /),
      ]),
    );
  });

  it('refuses amounts that are not exact positive USD and dates that are not dates', () => {
    const problems = problemsOf({
      budgets: [
        { team: 'search', monthly_usd: '0.0000000001' },
        { team: 'support', monthly_usd: '-5' },
        { team: 'support', feature: 'x', monthly_usd: '5', soft_until: 'next month' },
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^budgets\[0\]\.monthly_usd: .*decimal places/),
        expect.stringMatching(/^budgets\[1\]\.monthly_usd: /),
        'budgets[2].soft_until: must be a date (YYYY-MM-DD) or an RFC 3339 time',
      ]),
    );
  });

  it('holds budgets and caps to the teams, accounts and keys the file declares', () => {
    expect(
      problemsOf({
        budgets: [{ team: 'ghost', monthly_usd: '10' }],
        request_caps: [
          { service_account: 'svc-unknown', per_minute: 5 },
          { api_key: 'key-unknown', per_minute: 5 },
          { api_key: 'key-bot', service_account: 'svc-etl', per_minute: 5 },
        ],
      }),
    ).toEqual(
      expect.arrayContaining([
        'budgets[0].team: team "ghost" is not declared under teams',
        'request_caps[0].service_account: "svc-unknown" is not declared under service_accounts',
        'request_caps[1].api_key: "key-unknown" is not declared under api_keys',
        'request_caps[2]: name exactly one of service_account or api_key',
      ]),
    );
  });

  it('refuses two rules or two caps for one scope, and reports them with the other sections', () => {
    const problems = problemsOf({
      teams: [{ id: 'search' }, { id: 'search' }],
      budgets: [
        { team: 'search', feature: 'a', monthly_usd: '1' },
        { team: 'search', feature: 'a', monthly_usd: '2' },
      ],
      request_caps: [
        { api_key: 'key-bot', per_minute: 1 },
        { api_key: 'key-bot', per_minute: 2 },
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'teams: "search" is declared twice',
        'budgets[1]: same team, feature and environment as budgets[0]',
        'request_caps[1]: a second cap for the same account or key',
      ]),
    );
  });

  it('takes a section left empty in YAML (null) as no budgets', () => {
    const result = parseOrgDeclaration({ ...org, budgets: null, request_caps: null });
    expect(result).toMatchObject({ ok: true, value: { budgets: [], request_caps: [] } });
  });
});
