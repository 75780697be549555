import { parseOrgDeclaration } from './org-declaration';

const teams = [
  { id: 'platform', name: 'Platform' },
  { id: 'search', name: 'Search' },
  { id: 'support', name: 'Support' },
];
const parse = (allocation_rules: unknown[]) => parseOrgDeclaration({ teams, allocation_rules });

describe('org declaration: allocation rules', () => {
  it('fixed shares are percentages with up to six decimals, as numbers or decimal strings', () => {
    const result = parse([
      {
        id: 'f',
        source_team: 'platform',
        method: 'fixed',
        shares: { search: 33.333333, support: '66.666667' },
      },
    ]);
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({
        allocation_rules: [
          {
            id: 'f',
            rule: {
              source_team: 'platform',
              method: 'fixed',
              shares: { search: 33.333333, support: 66.666667 },
            },
          },
        ],
      }),
    });
  });

  it.each<[string, unknown, string]>([
    [
      'seven decimals',
      { search: 33.3333333, support: 66.6666667 },
      'a mapping of team id to a percentage with at most 6 decimals',
    ],
    [
      'a negative share',
      { search: -10, support: 110 },
      'a mapping of team id to a percentage with at most 6 decimals',
    ],
    [
      'not a number',
      { search: 'half', support: 50 },
      'a mapping of team id to a percentage with at most 6 decimals',
    ],
    ['a sum under 100', { search: 30, support: 30 }, 'percentages must sum to exactly 100'],
    [
      'a sum over 100 by a millionth',
      { search: 50, support: 50.000001 },
      'percentages must sum to exactly 100',
    ],
  ])('refuses %s', (_name, shares, problem) => {
    expect(parse([{ id: 'f', source_team: 'platform', method: 'fixed', shares }])).toEqual({
      ok: false,
      problems: [`allocation_rules[0].shares: ${problem}`],
    });
  });

  it('refuses two rules with the same source team (its cost would be allocated twice)', () => {
    expect(
      parse([
        { id: 'a', source_team: 'platform', method: 'owner', owner: 'search' },
        { id: 'b', source_team: 'platform', method: 'proportional', targets: ['search', 'support'] },
      ]),
    ).toEqual({
      ok: false,
      problems: ['allocation_rules[1].source_team: "platform" is already allocated by rule "a"'],
    });
  });
});
