import type { Cells } from './call-fact';
import { HOUR_MS, WEEK_MS } from './seasonal-history';
import { unitCostExcess } from './unit-cost';

const NOW = Date.UTC(2026, 10, 16, 10, 7); // a Monday, 10:07 UTC
const HOUR = Math.floor(NOW / HOUR_MS) * HOUR_MS;
const PARAMS = { weeks: 4, minWeeks: 2, unitCostCvFloor: 0.25 };

function past(units: Record<number, { requests: number; cost_nanos: number; cost_sq: number }>) {
  const hours = new Map<number, Cells>();
  for (const [week, cell] of Object.entries(units))
    hours.set(HOUR - Number(week) * WEEK_MS, new Map([['k', cell as never]]));
  return (hour: number) => hours.get(hour);
}

describe('unitCostExcess', () => {
  it('charges requests x (cost per request - the weekly median), with the CV floor as noise', () => {
    // $0.10 a call, every call alike (no spread of its own): the floor of 25% of $0.10 applies
    const same = { requests: 10, cost_nanos: 1_000_000_000, cost_sq: 0.1 };
    const result = unitCostExcess(
      past({ 1: same, 2: same }),
      'k',
      { requests: 5, cost_nanos: 1_000_000_000, cost_sq: 0 },
      NOW,
      PARAMS,
    );
    expect(result).toEqual({ excess: 500_000_000, variance: 5 * 25_000_000 ** 2, spread: 0 });
  });

  it('takes the median week and its MAD as the weekly spread', () => {
    const week = (unit: number) => ({ requests: 1, cost_nanos: unit, cost_sq: 0 });
    const result = unitCostExcess(
      past({ 1: week(100), 2: week(120), 3: week(90) }),
      'k',
      { requests: 2, cost_nanos: 300, cost_sq: 0 },
      NOW,
      PARAMS,
    );
    // median 100, deviations 0, 10, 20: MAD 10
    expect(result).toEqual({ excess: 100, variance: 2 * 25 ** 2, spread: 2 * 1.4826 * 10 });
  });

  it('says nothing for a cell with fewer than minWeeks weeks of history (a new entity)', () => {
    const one = { requests: 10, cost_nanos: 1000, cost_sq: 0 };
    expect(unitCostExcess(past({ 1: one }), 'k', one, NOW, PARAMS)).toBeUndefined();
    expect(unitCostExcess(past({ 1: one, 2: one }), 'other', one, NOW, PARAMS)).toBeUndefined();
  });
});
