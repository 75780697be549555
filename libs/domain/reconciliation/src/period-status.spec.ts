import {
  cellSums,
  periodReconciliation,
  periodReconciliationFromSums,
  periodReconciliationJson,
  periodReconciliationLines,
} from './period-status';
import type { CellResult } from './reconciliation.types';

function cell(over: Partial<CellResult>): CellResult {
  const ledgerNanos = over.ledgerNanos ?? 1_000_000_000n;
  const providerNanos = over.providerNanos ?? ledgerNanos;
  return {
    resultId: `r-${Math.random()}`,
    provider: 'anthropic',
    accountId: 'org-a',
    model: 'claude-sonnet-4-6',
    usageDate: '2026-11-16',
    tokenType: 'input',
    ledgerNanos,
    providerNanos,
    deltaNanos: providerNanos - ledgerNanos,
    deltaBp: 0,
    toleranceBp: 100,
    status: 'matched',
    provisional: false,
    ledgerQuantity: 0n,
    providerQuantity: 0n,
    explanations: [],
    unexplainedNanos: 0n,
    ...over,
  };
}

describe('periodReconciliation', () => {
  const cells = [
    cell({}),
    cell({
      tokenType: 'cache_write_5m',
      ledgerNanos: 800_000_000n,
      providerNanos: 1_000_000_000n,
      deltaNanos: 200_000_000n,
      status: 'over_tolerance',
      explanations: [{ class: 'cache_semantics', nanos: 150_000_000n, detail: '' }],
      unexplainedNanos: 50_000_000n,
    }),
    cell({ accountId: 'org-b', provider: 'openai', model: 'gpt-4o', usageDate: '2026-11-30' }),
    // another month: not in the period
    cell({ usageDate: '2026-12-01', providerNanos: 9n * 1_000_000_000n, status: 'over_tolerance' }),
  ];

  it('totals provider vs ledger per account-month and names open differences by class', () => {
    const r = periodReconciliation('2026-11', cells);
    expect(r.status).toBe('beyond_tolerance');
    expect([r.providerNanos, r.ledgerNanos, r.deltaNanos, r.deltaBp]).toEqual([
      3_000_000_000n,
      2_800_000_000n,
      200_000_000n,
      667,
    ]);
    expect(r.openCells).toBe(1);
    expect(r.openByClass).toEqual({ cache_semantics: 150_000_000n, unexplained: 50_000_000n });
    expect(r.accounts.map((m) => [m.provider, m.accountId, m.deltaBp, m.withinTolerance])).toEqual([
      ['anthropic', 'org-a', 1000, false],
      ['openai', 'org-b', 0, true],
    ]);
  });

  it('narrows to the accounts a caller may see', () => {
    const r = periodReconciliation('2026-11', cells, { visible: (p) => p === 'openai' });
    expect([r.status, r.providerNanos, r.openCells]).toEqual(['within_tolerance', 1_000_000_000n, 0]);
  });

  it('says none when no export covers the period', () => {
    const r = periodReconciliation('2026-10', cells);
    expect([r.status, r.accounts.length, r.deltaBp]).toEqual(['none', 0, 0]);
  });

  it('writes nanos as integer strings', () => {
    const json = periodReconciliationJson(periodReconciliation('2026-11', cells));
    expect(json).toMatchObject({
      status: 'beyond_tolerance',
      delta_nanos: '200000000',
      open_by_class: { cache_semantics: '150000000', unexplained: '50000000' },
    });
  });
});

describe('periodReconciliationLines', () => {
  it('says each account and the open classes in words', () => {
    const lines = periodReconciliationLines(
      periodReconciliation('2026-11', [
        cell({
          ledgerNanos: 900_000_000n,
          providerNanos: 1_000_000_000n,
          status: 'over_tolerance',
          explanations: [{ class: 'price_drift', nanos: 100_000_000n, detail: '' }],
        }),
      ]),
    );
    expect(lines).toEqual([
      'Reconciliation 2026-11: providers $1.00 vs ledger $0.90, delta $0.10 (1000 bp): BEYOND TOLERANCE',
      '  anthropic/org-a: provider $1.00 vs ledger $0.90 (1000 bp, tolerance 10) beyond',
      '  open differences (1 cells): price_drift $0.10',
    ]);
    expect(periodReconciliationLines(periodReconciliation('2026-10', []))).toEqual([
      'Reconciliation 2026-10: no provider export imported for this period yet',
    ]);
  });
});

describe('cellSums', () => {
  it('folds cells by account, open and provisional, and the period reads the same from the sums', () => {
    const cells = [
      cell({ status: 'over_tolerance', providerNanos: 2n, ledgerNanos: 1n, unexplainedNanos: 1n }),
      cell({
        status: 'missing_in_ledger',
        providerNanos: 5n,
        ledgerNanos: 0n,
        explanations: [{ class: 'missing_in_ledger', nanos: 5n, detail: '' }],
      }),
      cell({ provisional: true }),
    ];
    const sums = cellSums(cells);
    expect(sums.map((s) => [s.open, s.provisional, s.cells, s.deltaNanos])).toEqual([
      [true, false, 2, 6n],
      [false, true, 1, 0n],
    ]);
    const fromSums = periodReconciliationFromSums('2026-11', sums);
    expect(fromSums).toEqual(periodReconciliation('2026-11', cells));
    expect([fromSums.openCells, fromSums.provisional, fromSums.openByClass]).toEqual([
      2,
      true,
      { unexplained: 1n, missing_in_ledger: 5n },
    ]);
  });
});
