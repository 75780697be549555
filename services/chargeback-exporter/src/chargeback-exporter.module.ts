import { type DynamicModule, Module } from '@nestjs/common';
import { ChargebackRepository, LedgerRepository } from '@tokentally/adapters-postgres-ledger';
import { PostgresAlertStore, PostgresDigestSources } from '@tokentally/adapters-postgres-alerts';
import { AlertOperations } from '@tokentally/domain-anomaly';
import { PlatformModule, type ServiceRuntime } from '@tokentally/platform-service';
import type { ChargebackExporterConfig } from './config';
import { DIGEST_SOURCES, STATEMENT_SETTINGS, type StatementSettings } from './chargeback.tokens';
import { API_TOKENS, ApiAccessGuard } from './inbound/api-access.guard';
import { AlertsController } from './inbound/alerts.controller';
import { FinanceController } from './inbound/finance.controller';
import { OperatorMetrics } from './operator.metrics';
import { CoverageController } from './inbound/coverage.controller';
import { CoverageRepository, ReconciliationStatusReader } from '@tokentally/adapters-postgres-reconciliation';

/**
 * Serves per-team statements, CSV / JSON / FOCUS exports, budgets and request costs to finance, from the
 * ledger rollups (libs/domain/chargeback), and the anomaly detector's alerts, feedback and weekly digest
 * (libs/domain/anomaly, libs/domain/digest), behind API tokens with finance and team roles.
 */
@Module({})
export class ChargebackExporterModule {
  static forRuntime(runtime: ServiceRuntime, config: ChargebackExporterConfig): DynamicModule {
    const { pool } = runtime;
    if (!pool) throw new Error('the chargeback exporter needs PostgreSQL');
    return {
      module: ChargebackExporterModule,
      imports: [PlatformModule.forRuntime(runtime)],
      controllers: [FinanceController, AlertsController, CoverageController],
      providers: [
        ApiAccessGuard,
        { provide: API_TOKENS, useValue: config.CHARGEBACK_API_TOKENS },
        { provide: ChargebackRepository, useValue: new ChargebackRepository(pool) },
        { provide: LedgerRepository, useValue: new LedgerRepository(pool) },
        { provide: AlertOperations, useValue: new AlertOperations(new PostgresAlertStore(pool)) },
        { provide: DIGEST_SOURCES, useValue: new PostgresDigestSources(pool) },
        { provide: OperatorMetrics, useValue: new OperatorMetrics(runtime.metrics) },
        { provide: CoverageRepository, useValue: new CoverageRepository(pool) },
        {
          provide: ReconciliationStatusReader,
          useValue: new ReconciliationStatusReader(pool, config.RECONCILE_MONTH_TOLERANCE_BP),
        },
        {
          provide: STATEMENT_SETTINGS,
          useValue: { topUsers: config.STATEMENT_TOP_USERS } satisfies StatementSettings,
        },
      ],
    };
  }
}
