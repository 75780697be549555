import type { OrgSnapshot } from '@tokentally/domain-enrichment';
import type { OrgRepository } from '@tokentally/adapters-postgres-ledger';
import type { Logger } from '@tokentally/platform-observability';

/**
 * The org registry held in memory: attribution never waits on Postgres per event. A cheap version
 * check runs on an interval and reloads the whole snapshot when `tally org apply` committed a new one,
 * so keys added to the org file take effect without a restart.
 */
export class OrgCache {
  private snapshot: OrgSnapshot = { teams: new Set(), apiKeys: new Map(), serviceAccounts: new Map() };
  private version = -1n;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repository: OrgRepository,
    private readonly logger: Logger,
  ) {}

  get current(): OrgSnapshot {
    return this.snapshot;
  }

  async start(refreshMs: number): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) =>
        this.logger.warn('org registry refresh failed; keeping the last snapshot', { error }),
      );
    }, refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Nest lifecycle: stop polling when the application closes. */
  onModuleDestroy(): void {
    this.stop();
  }

  /** Reloads if a newer version was applied; returns whether it did. */
  async refresh(): Promise<boolean> {
    if ((await this.repository.currentVersion()) === this.version) return false;
    const tables = await this.repository.load();
    this.snapshot = {
      teams: new Set(tables.teams),
      apiKeys: new Map(tables.apiKeys),
      serviceAccounts: new Map(tables.serviceAccounts),
    };
    this.version = tables.version;
    this.logger.info('org registry loaded', {
      version: tables.version,
      teams: tables.teams.length,
      apiKeys: tables.apiKeys.length,
      serviceAccounts: tables.serviceAccounts.length,
    });
    return true;
  }
}
