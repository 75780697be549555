import type { AlertEvent } from '@tokentally/contracts';
import { budgetCrossings, periodOf, type BudgetLine } from '@tokentally/domain-anomaly';
import type { AlertsRepository } from '@tokentally/adapters-postgres-alerts';
import { budgetAlertEventOf } from './alert-event.mapper';

/**
 * Month-to-date spend against team and feature budgets, from the ledger's daily rollups (idempotent,
 * shared by every replica), in the period of the team's latest event time. Crossings are inserted
 * under their (scope, period, threshold, budget) id: the primary key lets exactly one insert win,
 * whichever replica or restart computes it, and only that insert goes to the outbox.
 */
export class BudgetChecker {
  constructor(
    private readonly repository: AlertsRepository,
    private readonly teamThresholdsBp: readonly number[],
  ) {}

  async check(teamClocks: ReadonlyMap<string, number>): Promise<AlertEvent[]> {
    if (teamClocks.size === 0) return [];
    const lines = (await this.repository.budgets()).filter((b) => teamClocks.has(b.team_id));
    const alerts: AlertEvent[] = [];
    for (const row of lines) {
      const asOf = teamClocks.get(row.team_id)!;
      const period = periodOf(asOf);
      const [year, month] = period.split('-').map(Number);
      const thresholds = row.thresholds_bp ?? this.teamThresholdsBp;
      const line: BudgetLine = {
        team: row.team_id,
        budget_nanos: Number(row.budget_nanos),
        budget_version: `${row.budget_nanos}:${thresholds.join(',')}`,
        thresholds_bp: thresholds,
      };
      if (row.feature) line.feature = row.feature;
      const daily = await this.repository.dailySpend(
        row.team_id,
        row.feature,
        new Date(Date.UTC(year!, month! - 1, 1)),
        new Date(Date.UTC(year!, month, 1)),
      );
      const spend = new Map([...daily].map(([day, nanos]) => [day, Number(nanos)]));
      for (const crossing of budgetCrossings(line, period, spend, asOf, row.team_name))
        alerts.push(budgetAlertEventOf(crossing, asOf));
    }
    return alerts;
  }
}
