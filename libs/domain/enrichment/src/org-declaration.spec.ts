import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseOrgDeclaration } from './org-declaration';

describe('org declaration', () => {
  it('accepts a complete document and parses budgets exactly', () => {
    const result = parseOrgDeclaration({
      teams: [
        {
          id: 'search',
          name: 'Search',
          cost_centre: 'CC-100',
          owner: 'alice@corp',
          monthly_budget_usd: '5000.50',
        },
        { id: 'platform', name: 'Platform' },
      ],
      api_keys: [{ id: 'key-search', team: 'search' }],
      service_accounts: [{ name: 'svc-indexer@corp', team: 'search' }],
      allocation_rules: [
        { id: 'platform-split', source_team: 'platform', method: 'proportional', targets: ['search'] },
      ],
    });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.teams[0]).toEqual({
        id: 'search',
        name: 'Search',
        cost_centre: 'CC-100',
        owner: 'alice@corp',
        monthly_budget_nanos: 5_000_500_000_000n,
      });
      expect(result.value.teams[1]?.monthly_budget_nanos).toBeNull();
    }
  });

  it('reports every problem with its path, all at once', () => {
    const result = parseOrgDeclaration({
      teams: [{ id: 'search', monthly_budget_usd: '12.3456789012' }, { id: 'search' }, { name: 'no id' }],
      api_keys: [{ id: 'key-1', team: 'ghost' }],
      service_accounts: [{ name: 'bad name with spaces', team: 'search' }],
      allocation_rules: [{ id: 'r1', source_team: 'search', method: 'lottery' }],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^teams\[0\]\.monthly_budget_usd: .*more than 9 decimal places/),
          'teams: "search" is declared twice',
          'teams[2].id: required',
          'api_keys[0].team: team "ghost" is not declared under teams',
          expect.stringMatching(/^service_accounts\[0\]\.name: "bad name with spaces" is not a valid id/),
          'allocation_rules[0].method: one of proportional, fixed, owner',
        ]),
      );
    }
  });

  it.each([
    ['a section that is not a list', { teams: 'search' }, 'teams: must be a list of mappings'],
    ['an item that is not a mapping', { teams: ['search'] }, 'teams[0]: must be a mapping'],
    ['a name that is not text', { teams: [{ id: 'a', name: ['x'] }] }, 'teams[0].name: must be text'],
    [
      'a negative budget',
      { teams: [{ id: 'a', monthly_budget_usd: '-1' }] },
      'teams[0].monthly_budget_usd: must not be negative',
    ],
    [
      'an api key declared twice',
      {
        teams: [{ id: 'a' }],
        api_keys: [
          { id: 'k', team: 'a' },
          { id: 'k', team: 'a' },
        ],
      },
      'api_keys: "k" is declared twice',
    ],
    [
      'proportional without targets',
      {
        teams: [{ id: 'a' }],
        allocation_rules: [{ id: 'r', source_team: 'a', method: 'proportional', targets: [] }],
      },
      'allocation_rules[0].targets: a non-empty list of team ids',
    ],
    [
      'fixed shares that are not percentages',
      {
        teams: [{ id: 'a' }],
        allocation_rules: [{ id: 'r', source_team: 'a', method: 'fixed', shares: { a: 'half' } }],
      },
      'allocation_rules[0].shares: a mapping of team id to a percentage with at most 6 decimals',
    ],
    [
      'fixed shares not summing to 100',
      {
        teams: [{ id: 'a' }],
        allocation_rules: [{ id: 'r', source_team: 'a', method: 'fixed', shares: { a: 0 } }],
      },
      'allocation_rules[0].shares: percentages must sum to exactly 100',
    ],
    [
      'owner rule without owner',
      { teams: [{ id: 'a' }], allocation_rules: [{ id: 'r', source_team: 'a', method: 'owner' }] },
      'allocation_rules[0].owner: required for method owner',
    ],
    [
      'a rule naming an undeclared team',
      {
        teams: [{ id: 'a' }],
        allocation_rules: [{ id: 'r', source_team: 'a', method: 'proportional', targets: ['ghost'] }],
      },
      'allocation_rules[0].targets: team "ghost" is not declared under teams',
    ],
    [
      'a rule without a source team',
      { teams: [{ id: 'a' }], allocation_rules: [{ id: 'r', method: 'owner', owner: 'a' }] },
      'allocation_rules[0].source_team: required',
    ],
  ])('%s', (_name, input, problem) => {
    const result = parseOrgDeclaration(input);
    expect(result.ok ? [] : result.problems).toContain(problem);
  });

  it('takes numbers as text and absent sections as empty', () => {
    expect(parseOrgDeclaration({ teams: [{ id: 'a', cost_centre: 100 }] })).toEqual({
      ok: true,
      value: {
        teams: [{ id: 'a', name: 'a', cost_centre: '100', owner: null, monthly_budget_nanos: null }],
        api_keys: [],
        service_accounts: [],
        allocation_rules: [],
        provider_accounts: [],
        budgets: [],
        request_caps: [],
      },
    });
  });

  it('rejects a document that is not a mapping', () => {
    expect(parseOrgDeclaration(['teams'])).toMatchObject({ ok: false });
  });
});

describe('docs/org.example.yaml', () => {
  it('is a valid declaration (the README points users at it)', () => {
    const text = readFileSync(`${__dirname}/../../../../docs/org.example.yaml`, 'utf8');
    expect(parseOrgDeclaration(parse(text))).toMatchObject({ ok: true });
  });
});

describe('provider accounts in the org file', () => {
  const base = { teams: [{ id: 'search' }], api_keys: [], service_accounts: [] };

  it('maps provider accounts and projects to declared teams', () => {
    const result = parseOrgDeclaration({
      ...base,
      provider_accounts: [
        { provider: 'openai', account: 'org-acme', project: 'proj_search', team: 'search', api_keys: ['k1'] },
      ],
    });
    expect(result).toMatchObject({
      ok: true,
      value: {
        provider_accounts: [
          {
            provider: 'openai',
            account: 'org-acme',
            project: 'proj_search',
            team: 'search',
            api_keys: ['k1'],
          },
        ],
      },
    });
  });

  it('refuses unknown teams and duplicates, with their paths', () => {
    const entry = { provider: 'bedrock', account: '123456789012', team: 'nobody' };
    const result = parseOrgDeclaration({ ...base, provider_accounts: [entry, entry] });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems).toEqual([
        'provider_accounts[0].team: team "nobody" is not declared under teams',
        'provider_accounts[1].team: team "nobody" is not declared under teams',
        'provider_accounts: "bedrock/123456789012/" is declared twice',
      ]);
  });
});
