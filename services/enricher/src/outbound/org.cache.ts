import type { OrgSnapshot } from '@tokentally/domain-enrichment';
import type { OrgRepository } from '@tokentally/adapters-postgres-ledger';
import type { Logger } from '@tokentally/platform-observability';
import { PollingSnapshot } from '@tokentally/platform-service';

/** The org registry in memory: attribution never waits on Postgres; `tally org apply` is picked up live. */
export class OrgCache extends PollingSnapshot<OrgSnapshot> {
  constructor(repository: OrgRepository, logger: Logger) {
    super(
      'org registry',
      {
        version: () => repository.currentVersion(),
        load: async () => {
          const tables = await repository.load();
          return {
            version: tables.version,
            value: {
              teams: new Set(tables.teams),
              apiKeys: new Map(tables.apiKeys),
              serviceAccounts: new Map(tables.serviceAccounts),
            },
          };
        },
      },
      { teams: new Set(), apiKeys: new Map(), serviceAccounts: new Map() },
      logger,
      (org) => ({
        teams: org.teams.size,
        apiKeys: org.apiKeys.size,
        serviceAccounts: org.serviceAccounts.size,
      }),
    );
  }
}
