import { burnForecast } from './burn-forecast';

const USD = 1_000_000_000n;

describe('burnForecast', () => {
  it('scales spend so far to the whole month and finds the day the budget is reached', () => {
    // November has 30 days; at the end of day 10 a third has elapsed
    const result = burnForecast({
      period: '2026-11',
      spent_nanos: 1_000n * USD,
      budget_nanos: 2_000n * USD,
      daily: [
        { day: '2026-11-01', nanos: 400n * USD },
        { day: '2026-11-10', nanos: 600n * USD },
      ],
      now: Date.UTC(2026, 10, 11),
    });
    expect(result).toMatchObject({
      spent_nanos: 1_000n * USD,
      elapsed_percent: '33.3',
      forecast_nanos: 3_000n * USD,
      forecast_budget_percent: '150.0',
      budget_reached_at: '2026-11-21T00:00:00.000Z',
    });
    expect(result.days).toHaveLength(11); // today (the 11th) has begun
    expect(result.days[0]).toEqual({ day: '2026-11-01', nanos: 400n * USD });
    expect(result.days[4]).toEqual({ day: '2026-11-05', nanos: 0n });
  });

  it('forecasts the spend itself for a period that is over, and no crossing within budget', () => {
    const result = burnForecast({
      period: '2026-10',
      spent_nanos: 7n,
      budget_nanos: 100n,
      daily: [],
      now: Date.UTC(2026, 11, 2),
    });
    expect(result).toMatchObject({ forecast_nanos: 7n, elapsed_percent: '100.0', budget_reached_at: null });
    expect(result.days).toHaveLength(31);
  });

  it('has no forecast before the period starts, and none against a missing budget', () => {
    const result = burnForecast({
      period: '2027-01',
      spent_nanos: 0n,
      budget_nanos: null,
      daily: [],
      now: Date.UTC(2026, 11, 2),
    });
    expect(result).toMatchObject({
      forecast_nanos: null,
      forecast_budget_percent: null,
      budget_reached_at: null,
    });
    expect(result.days).toHaveLength(1);
  });
});
