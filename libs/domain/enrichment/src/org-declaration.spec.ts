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
