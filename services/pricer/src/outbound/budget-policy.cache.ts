import type { BudgetRepository } from '@tokentally/adapters-postgres-budget';
import type { BudgetPolicy } from '@tokentally/domain-budget';
import type { OrgRepository } from '@tokentally/adapters-postgres-ledger';
import type { Logger } from '@tokentally/platform-observability';

/**
 * Budgets, caps, overrides and the api key / service account owners held in memory, so a budget check
 * never waits on Postgres. Reloaded whole on an interval: overrides are added between org versions,
 * and the tables are small.
 */
export class BudgetPolicyCache {
  private policy: BudgetPolicy = {
    rules: [],
    caps: [],
    overrides: [],
    teamOfApiKey: () => undefined,
    teamOfServiceAccount: () => undefined,
  };
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly budgets: BudgetRepository,
    private readonly org: OrgRepository,
    private readonly logger: Logger,
  ) {}

  get current(): BudgetPolicy {
    return this.policy;
  }

  async start(refreshMs: number): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) =>
        this.logger.warn('budget policy refresh failed; keeping the last one', { error }),
      );
    }, refreshMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    const [declaration, tables] = await Promise.all([this.budgets.load(), this.org.load()]);
    const apiKeys = new Map(tables.apiKeys);
    const serviceAccounts = new Map(tables.serviceAccounts);
    this.policy = {
      rules: declaration.rules,
      caps: declaration.caps,
      overrides: declaration.overrides,
      teamOfApiKey: (id) => apiKeys.get(id),
      teamOfServiceAccount: (id) => serviceAccounts.get(id),
    };
  }
}
