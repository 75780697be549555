import { budgetCrossings, forecastCrossingDay, type BudgetLine } from './budget';

const line: BudgetLine = {
  team: 'support',
  budget_nanos: 4000e9,
  budget_version: 'v1',
  thresholds_bp: [8000, 10000],
};
const days = (spend: number[]) =>
  new Map(spend.map((nanos, i) => [`2026-11-${String(i + 1).padStart(2, '0')}`, nanos]));

describe('budgetCrossings', () => {
  it.each([
    { name: 'below 80%', spend: [1000e9, 1000e9], expected: [] },
    { name: 'exactly 80%', spend: [3200e9], expected: [8000] },
    { name: 'past both', spend: [3000e9, 1500e9], expected: [8000, 10000] },
  ])('$name', ({ spend, expected }) => {
    const out = budgetCrossings(line, '2026-11', days(spend), Date.UTC(2026, 10, spend.length, 12));
    expect(out.map((c) => c.threshold_bp)).toEqual(expected);
  });

  it('gives the same id however often it is asked, a new id after the budget changes', () => {
    const at = Date.UTC(2026, 10, 2, 12);
    const a = budgetCrossings(line, '2026-11', days([3300e9]), at);
    const b = budgetCrossings(line, '2026-11', days([3300e9, 10e9]), at);
    const c = budgetCrossings({ ...line, budget_version: 'v2' }, '2026-11', days([3300e9]), at);
    expect(a[0]!.alert_id).toBe(b[0]!.alert_id);
    expect(c[0]!.alert_id).not.toBe(a[0]!.alert_id);
  });

  it('names the crossing day and forecasts 100% from the burn rate at 80%', () => {
    const spend = Array.from({ length: 16 }, () => 200e9); // $200/day: 80% ($3,200) on the 16th
    const [eighty] = budgetCrossings(line, '2026-11', days(spend), Date.UTC(2026, 10, 17));
    expect(eighty).toMatchObject({ crossed_on: '2026-11-16', forecast_full_on: '2026-11-20' });
    expect(eighty!.explanation).toMatch(/support reached 80% .* crosses 100% on the 20th/);
  });
});

describe('forecastCrossingDay', () => {
  it.each([
    { spent: 1000, target: 2000, asOf: Date.UTC(2026, 10, 11), expected: '2026-11-20' },
    { spent: 1000, target: 10000, asOf: Date.UTC(2026, 10, 11), expected: undefined },
    { spent: 0, target: 10, asOf: Date.UTC(2026, 10, 11), expected: undefined },
  ])('$spent of $target by day 10 -> $expected', ({ spent, target, asOf, expected }) => {
    expect(forecastCrossingDay(spent, target, '2026-11', asOf)).toBe(expected);
  });
});
