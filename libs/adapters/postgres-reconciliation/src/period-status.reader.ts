import {
  accountLookups,
  periodReconciliationFromSums,
  reconciliationDays,
  type PeriodReconciliation,
  type ReconciliationDay,
} from '@tokentally/domain-reconciliation';
import { ProviderCostRepository } from './reconciliation.repository';
import { ReconciliationRepository } from './reconciliation-results.repository';
import type { Pool } from 'pg';

const lastDay = (period: string): string => {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
};

/** A period's stored reconciliation cells as a status; a team sees only the accounts the org file gives it. */
export class ReconciliationStatusReader {
  private readonly results: ReconciliationRepository;
  private readonly costs: ProviderCostRepository;

  constructor(
    pool: Pool,
    private readonly monthToleranceBp: number,
  ) {
    this.results = new ReconciliationRepository(pool);
    this.costs = new ProviderCostRepository(pool);
  }

  async period(period: string, team: string | undefined): Promise<PeriodReconciliation> {
    // summed in SQL: a month of a large org holds 100,000 cells and more
    const [sums, accounts] = await Promise.all([
      this.results.periodSums(`${period}-01`, lastDay(period)),
      team === undefined ? Promise.resolve([]) : this.costs.providerAccounts(),
    ]);
    const { teamOf } = accountLookups(accounts);
    return periodReconciliationFromSums(period, sums, {
      monthToleranceBp: this.monthToleranceBp,
      ...(team === undefined
        ? {}
        : { visible: (provider: string, accountId: string) => teamOf(provider, accountId) === team }),
    });
  }

  /** The period day by day, per provider account (team tokens: their team's accounts). */
  async days(period: string, team: string | undefined): Promise<ReconciliationDay[]> {
    const [cells, accounts] = await Promise.all([
      this.results.results(`${period}-01`, lastDay(period)),
      team === undefined ? Promise.resolve([]) : this.costs.providerAccounts(),
    ]);
    const { teamOf } = accountLookups(accounts);
    return reconciliationDays(
      team === undefined ? cells : cells.filter((c) => teamOf(c.provider, c.accountId) === team),
    );
  }
}
