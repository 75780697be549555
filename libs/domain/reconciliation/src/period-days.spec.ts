import { reconciliationDays, type DayCell } from './period-days';

const cell = (over: Partial<DayCell>): DayCell => ({
  provider: 'anthropic',
  accountId: 'org-acme',
  usageDate: '2026-11-16',
  ledgerNanos: 0n,
  providerNanos: 0n,
  status: 'matched',
  provisional: false,
  explanations: [],
  unexplainedNanos: 0n,
  ...over,
});

describe('reconciliationDays', () => {
  it('sums the cells of a provider account per day, and the open ones by class, exactly', () => {
    const days = reconciliationDays([
      cell({ ledgerNanos: 1_000n, providerNanos: 1_000n }),
      cell({
        ledgerNanos: 5_000_000_000n,
        providerNanos: 5_600_000_001n,
        status: 'beyond_tolerance',
        explanations: [{ class: 'cache_semantics', nanos: 600_000_000n }],
        unexplainedNanos: 1n,
      }),
      cell({ usageDate: '2026-11-15', ledgerNanos: 7n, providerNanos: 7n, provisional: true }),
      cell({ provider: 'openai', ledgerNanos: 3n, providerNanos: 2n, status: 'within_tolerance' }),
    ]);
    expect(days.map((d) => [d.usage_date, d.provider, d.within_tolerance, d.cells])).toEqual([
      ['2026-11-15', 'anthropic', true, 1],
      ['2026-11-16', 'anthropic', false, 2],
      ['2026-11-16', 'openai', true, 1],
    ]);
    expect(days[1]).toMatchObject({
      provider_nanos: 5_600_001_001n,
      ledger_nanos: 5_000_001_000n,
      delta_nanos: 600_000_001n,
      delta_bp: 1071,
      open_cells: 1,
      open_by_class: { cache_semantics: 600_000_000n, unexplained: 1n },
    });
    expect(days[0]?.provisional).toBe(true);
    expect(days[2]).toMatchObject({ delta_nanos: -1n, open_by_class: {} });
  });
});
