import type { AllocationRule } from '@tokentally/contracts';
import { allocate } from './allocation-rules';

const direct = new Map([
  ['platform', 1_000_000_001n],
  ['search', 300n],
  ['support', 100n],
]);
const passedOn = (transfers: ReturnType<typeof allocate>, from: string): bigint =>
  transfers.filter((t) => t.from_team === from).reduce((sum, t) => sum + t.nanos, 0n);

describe('allocate', () => {
  it('two rules with the same source pass its cost on once, split between them, to the nano', () => {
    const rules: { id: string; rule: AllocationRule }[] = [
      { id: 'b-to-support', rule: { source_team: 'platform', method: 'owner', owner: 'support' } },
      { id: 'a-to-search', rule: { source_team: 'platform', method: 'owner', owner: 'search' } },
    ];
    const transfers = allocate(rules, direct);
    expect(passedOn(transfers, 'platform')).toBe(1_000_000_001n);
    expect(transfers).toEqual([
      { rule_id: 'a-to-search', from_team: 'platform', to_team: 'search', nanos: 500_000_001n },
      { rule_id: 'b-to-support', from_team: 'platform', to_team: 'support', nanos: 500_000_000n },
    ]);
  });

  it('fixed shares take percentages with six decimals exactly', () => {
    const transfers = allocate(
      [
        {
          id: 'f',
          rule: {
            source_team: 'platform',
            method: 'fixed',
            shares: { search: 33.333333, support: 33.333334, ops: 33.333333 },
          },
        },
      ],
      direct,
    );
    expect(transfers.map((t) => [t.to_team, t.nanos])).toEqual([
      // 1,000,000,001 x 0.33333333 = 333,333,330.33; x 0.33333334 = 333,333,340.33; the nano left goes to
      // the largest remainder
      ['ops', 333_333_330n],
      ['search', 333_333_330n],
      ['support', 333_333_341n],
    ]);
    expect(passedOn(transfers, 'platform')).toBe(1_000_000_001n);
  });

  it('proportional to the targets’ own cost, evenly when they have none; nothing when the source spent nothing', () => {
    const rule: AllocationRule = {
      source_team: 'platform',
      method: 'proportional',
      targets: ['support', 'search'],
    };
    expect(
      allocate(
        [{ id: 'p', rule }],
        new Map([
          ['platform', 8n],
          ['search', 3n],
          ['support', 1n],
        ]),
      ),
    ).toEqual([
      { rule_id: 'p', from_team: 'platform', to_team: 'search', nanos: 6n },
      { rule_id: 'p', from_team: 'platform', to_team: 'support', nanos: 2n },
    ]);
    expect(allocate([{ id: 'p', rule }], new Map([['platform', 3n]])).map((t) => t.nanos)).toEqual([2n, 1n]);
    expect(allocate([{ id: 'p', rule }], new Map())).toEqual([]);
  });

  it('refuses a share with more than six decimals', () => {
    const rule: AllocationRule = { source_team: 'platform', method: 'fixed', shares: { search: 99.9999999 } };
    expect(() => allocate([{ id: 'f', rule }], direct)).toThrow(/at most 6 decimals/);
  });
});
