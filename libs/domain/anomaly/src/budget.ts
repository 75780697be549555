import { createHash } from 'node:crypto';

/** A monthly budget of a team, or of one feature of a team. */
export interface BudgetLine {
  team: string;
  /** Set for a per-feature budget. */
  feature?: string;
  budget_nanos: number;
  /** Changes whenever the budget amount changes: a new amount re-arms its thresholds. */
  budget_version: string;
  /** Thresholds in basis points of the budget, e.g. [8000, 10000]. */
  thresholds_bp: readonly number[];
}

export interface BudgetCrossing {
  alert_id: string;
  team: string;
  feature?: string;
  period: string;
  threshold_bp: number;
  budget_nanos: number;
  spent_nanos: number;
  /** The UTC day (YYYY-MM-DD) spend first reached the threshold. */
  crossed_on: string;
  /** With the first threshold below 100%: the day the month's burn rate reaches 100%, if this month. */
  forecast_full_on?: string;
  explanation: string;
}

const DAY_MS = 86_400_000;

export function periodOf(at: number): string {
  const d = new Date(at);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

function monthBounds(period: string): { start: number; end: number } {
  const [y, m] = period.split('-').map(Number);
  return { start: Date.UTC(y!, m! - 1, 1), end: Date.UTC(y!, m, 1) };
}

/** Budget alert id: one per (scope, period, threshold, budget version), whoever computes it. */
export function budgetAlertId(line: BudgetLine, period: string, thresholdBp: number): string {
  const scope = line.feature ? `${line.team}/${line.feature}` : line.team;
  const digest = createHash('sha256')
    .update(`budget\u0000${scope}\u0000${period}\u0000${thresholdBp}\u0000${line.budget_version}`)
    .digest('hex');
  return `bu_${digest.slice(0, 24)}`;
}

/**
 * Day of the month (UTC) on which a month-to-date spend reaches `target` at the average daily burn
 * so far; undefined when it will not within the month. `asOf` is event time (the latest call seen).
 */
export function forecastCrossingDay(
  spent: number,
  target: number,
  period: string,
  asOf: number,
): string | undefined {
  const { start, end } = monthBounds(period);
  const elapsed = Math.max(asOf - start, DAY_MS / 24);
  if (spent >= target) return new Date(Math.min(asOf, end - 1)).toISOString().slice(0, 10);
  if (spent <= 0) return undefined;
  const at = start + (target / spent) * elapsed;
  if (at >= end) return undefined;
  // the day during which the running total reaches the target (a crossing at midnight belongs to the day before)
  return new Date(Math.ceil(at) - 1).toISOString().slice(0, 10);
}

/**
 * Thresholds a budget line has crossed by `asOf` in its period, from the month's daily spend
 * (cumulated in day order; days are YYYY-MM-DD). The caller keeps the ones already sent (by alert id)
 * and sends the rest once; the result does not depend on how often it is asked.
 */
export function budgetCrossings(
  line: BudgetLine,
  period: string,
  dailySpend: ReadonlyMap<string, number>,
  asOf: number,
  teamName = line.team,
): BudgetCrossing[] {
  if (line.budget_nanos <= 0) return [];
  const days = [...dailySpend.entries()]
    .filter(([day]) => day.startsWith(period))
    .sort(([a], [b]) => a.localeCompare(b));
  const spent = days.reduce((sum, [, nanos]) => sum + nanos, 0);
  const out: BudgetCrossing[] = [];
  const sorted = [...line.thresholds_bp].sort((a, b) => a - b);
  for (const threshold of sorted) {
    // integer comparison: spent / budget >= bp / 10000, never a float percentage
    const reached = (cumulative: number) => cumulative * 10_000 >= line.budget_nanos * threshold;
    if (!reached(spent)) continue;
    let cumulative = 0;
    let crossedOn = days.at(-1)?.[0] ?? periodOf(asOf);
    for (const [day, nanos] of days) {
      cumulative += nanos;
      if (reached(cumulative)) {
        crossedOn = day;
        break;
      }
    }
    const crossing: BudgetCrossing = {
      alert_id: budgetAlertId(line, period, threshold),
      team: line.team,
      period,
      threshold_bp: threshold,
      budget_nanos: line.budget_nanos,
      spent_nanos: spent,
      crossed_on: crossedOn,
      explanation: '',
    };
    if (line.feature) crossing.feature = line.feature;
    if (threshold < 10_000) {
      const forecast = forecastCrossingDay(spent, line.budget_nanos, period, asOf);
      if (forecast) crossing.forecast_full_on = forecast;
    }
    crossing.explanation = budgetSentence(crossing, teamName);
    out.push(crossing);
  }
  return out;
}

function ordinal(day: number): string {
  const suffix =
    day % 10 === 1 && day !== 11
      ? 'st'
      : day % 10 === 2 && day !== 12
        ? 'nd'
        : day % 10 === 3 && day !== 13
          ? 'rd'
          : 'th';
  return `${day}${suffix}`;
}

function budgetSentence(c: BudgetCrossing, teamName: string): string {
  const who = c.feature ? `${teamName} feature ${c.feature}` : teamName;
  const dollars = (n: number) => `$${(Math.round(n / 10_000_000) / 100).toFixed(2)}`;
  const head = `${who} reached ${c.threshold_bp / 100}% of its ${c.period} budget (${dollars(c.spent_nanos)} of ${dollars(c.budget_nanos)}) on ${c.crossed_on}`;
  if (c.forecast_full_on)
    return `${head}; on this pace ${who} crosses 100% on the ${ordinal(Number(c.forecast_full_on.slice(8, 10)))}`;
  return head;
}
