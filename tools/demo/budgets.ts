import type { Pool } from 'pg';
import { budgetCrossings, type BudgetLine } from '@tokentally/domain-anomaly';

/**
 * Budget crossings of the period: computed from the ledger's daily rollups with the detector's own
 * budget rules (libs/domain/anomaly budget.ts: integer thresholds, the burn-rate forecast as of the
 * day the first threshold was crossed), next to the live detector's budget alerts where it sent them.
 */
const DAY = 86_400_000;
const THRESHOLDS_BP = [8000, 10_000];

export async function printBudgets(pool: Pool, period: string): Promise<void> {
  console.log(`\n== Budget crossings in ${period}\n`);
  const { rows: teams } = await pool.query<{ team_id: string; name: string; budget: bigint }>(
    `SELECT team_id, name, monthly_budget_nanos AS budget FROM tokentally.teams
      WHERE monthly_budget_nanos > 0 ORDER BY team_id`,
  );
  const { rows: spend } = await pool.query<{ team_id: string; day: Date; nanos: bigint }>(
    `SELECT team_id, bucket AS day, sum(total_nanos)::bigint AS nanos FROM tokentally.rollup_daily
      WHERE period = $1 GROUP BY 1, 2`,
    [period],
  );
  const { rows: live } = await pool.query<{ team_id: string; threshold_bp: number; explanation: string }>(
    `SELECT DISTINCT ON (alert_id) team_id, threshold_bp, explanation FROM tokentally.alerts
      WHERE kind = 'budget_crossing' AND period = $1 ORDER BY alert_id, revision DESC`,
    [period],
  );
  const monthEnd = new Date(`${period}-01T00:00:00Z`);
  monthEnd.setUTCMonth(monthEnd.getUTCMonth() + 1);
  let any = false;
  for (const team of teams) {
    const daily = new Map(
      spend
        .filter((s) => s.team_id === team.team_id)
        .map((s) => [s.day.toISOString().slice(0, 10), Number(s.nanos)] as const),
    );
    const line: BudgetLine = {
      team: team.team_id,
      budget_nanos: Number(team.budget),
      budget_version: 'demo',
      thresholds_bp: THRESHOLDS_BP,
    };
    const month = budgetCrossings(line, period, daily, monthEnd.getTime() - 1, team.name);
    if (month.length === 0) {
      const spent = [...daily.values()].reduce((a, b) => a + b, 0);
      console.log(
        `  ${team.name}: ${Math.round((spent * 100) / line.budget_nanos)}% of its budget, no threshold crossed`,
      );
      continue;
    }
    any = true;
    for (const crossing of month) {
      // what the alert said on the day: month to date through the end of the crossing day, and its forecast
      const asOf = Date.parse(`${crossing.crossed_on}T00:00:00Z`) + DAY - 1;
      const toDate = new Map([...daily].filter(([day]) => day <= crossing.crossed_on));
      const onTheDay = budgetCrossings(
        { ...line, thresholds_bp: [crossing.threshold_bp] },
        period,
        toDate,
        asOf,
        team.name,
      )[0];
      console.log(`  ${onTheDay?.explanation ?? crossing.explanation}`);
      const sent = live.find((a) => a.team_id === team.team_id && a.threshold_bp === crossing.threshold_bp);
      console.log(
        sent
          ? `    the live detector's alert, sent while the backfill was still arriving (it judges in event time, and SDK calls reached it before the HTTP ones): ${sent.explanation}`
          : `    (computed from the daily rollups: the live detector sent no ${crossing.threshold_bp / 100}% alert for this backfill)`,
      );
    }
  }
  if (!any) console.log('  no team crossed 80% of its budget');
}
