import { periodBounds } from '@tokentally/domain-ledger';
import { divideHalfEven } from '@tokentally/domain-money';
import { percent } from './statement';

const DAY_MS = 86_400_000;

export interface DailySpend {
  /** 'YYYY-MM-DD', UTC */
  day: string;
  nanos: bigint;
}

export interface BurnForecast {
  period: string;
  spent_nanos: bigint;
  /** share of the period elapsed at `now`, percent */
  elapsed_percent: string;
  /** the period's spend if the rest of it burns at the rate so far; equals spent once the period is over */
  forecast_nanos: bigint | null;
  budget_nanos: bigint | null;
  forecast_budget_percent: string | null;
  /** at the rate so far, the UTC instant spend reaches the budget within the period (ISO), else null */
  budget_reached_at: string | null;
  /** every day of the period up to now (or its end), days without spend as 0 */
  days: DailySpend[];
}

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Burn-rate forecast to month end: spend so far scaled by period length over time elapsed (exact nanos,
 * half-even), the day the budget is reached at that rate, and the daily series with gaps filled.
 */
export function burnForecast(input: {
  period: string;
  spent_nanos: bigint;
  budget_nanos: bigint | null;
  daily: readonly DailySpend[];
  now: number;
}): BurnForecast {
  const { start, end } = periodBounds(input.period);
  const startMs = start.getTime();
  const endMs = end.getTime();
  const elapsed = BigInt(Math.min(Math.max(input.now, startMs), endMs) - startMs);
  const length = BigInt(endMs - startMs);
  const spent = input.spent_nanos;
  const forecast = elapsed === 0n ? null : divideHalfEven(spent * length, elapsed);
  const budget = input.budget_nanos;
  let reached: string | null = null;
  if (budget !== null && spent > 0n && elapsed > 0n) {
    // spend grows linearly from the period start: budget is reached at start + elapsed * budget / spent
    const at = startMs + Number(divideHalfEven(elapsed * budget, spent));
    if (at < endMs) reached = new Date(Math.max(at, startMs)).toISOString();
  }
  const byDay = new Map(input.daily.map((d) => [d.day, d.nanos]));
  const days: DailySpend[] = [];
  const lastMs = Math.min(Math.max(input.now, startMs), endMs - 1);
  for (let ms = startMs; ms <= lastMs; ms += DAY_MS)
    days.push({ day: isoDay(ms), nanos: byDay.get(isoDay(ms)) ?? 0n });
  return {
    period: input.period,
    spent_nanos: spent,
    elapsed_percent: percent(elapsed, length) ?? '0.0',
    forecast_nanos: forecast,
    budget_nanos: budget,
    forecast_budget_percent: forecast === null || budget === null ? null : percent(forecast, budget),
    budget_reached_at: reached,
    days,
  };
}
