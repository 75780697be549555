import { type DynamicModule, Module } from '@nestjs/common';
import {
  ChargebackRepository,
  InsightsRepository,
  LedgerRepository,
} from '@tokentally/adapters-postgres-ledger';
import { PostgresAlertStore, PostgresDigestSources } from '@tokentally/adapters-postgres-alerts';
import { BudgetRepository } from '@tokentally/adapters-postgres-budget';
import { AlertOperations } from '@tokentally/domain-anomaly';
import { PlatformModule, type ServiceRuntime } from '@tokentally/platform-service';
import type { ChargebackExporterConfig } from './config';
import { DIGEST_SOURCES, STATEMENT_SETTINGS, type StatementSettings } from './chargeback.tokens';
import { API_TOKENS, ApiAccessGuard } from './inbound/api-access.guard';
import { AlertsController } from './inbound/alerts.controller';
import { BudgetOverridesController } from './inbound/budget-overrides.controller';
import { FinanceController } from './inbound/finance.controller';
import { OperatorMetrics } from './operator.metrics';
import { CoverageController } from './inbound/coverage.controller';
import { CoverageRepository, ReconciliationStatusReader } from '@tokentally/adapters-postgres-reconciliation';
import { ConsoleController } from './inbound/console.controller';
import { CLOCK, InsightsController } from './inbound/insights.controller';
import { ConsoleMetrics } from './console.metrics';
import { PipelineStatusMonitor } from './outbound/pipeline-status.monitor';

/**
 * Serves per-team statements, CSV / JSON / FOCUS exports, budgets and request costs to finance, from the
 * ledger rollups (libs/domain/chargeback); the anomaly detector's alerts, feedback and weekly digest
 * (libs/domain/anomaly, libs/domain/digest); coverage and reconciliation status; and the web console
 * (/console/) with its JSON routes (burn, efficiency, pipeline status), behind API tokens with finance
 * and team roles.
 */
@Module({})
export class ChargebackExporterModule {
  static forRuntime(runtime: ServiceRuntime, config: ChargebackExporterConfig): DynamicModule {
    const { pool, kafka, admin, registry } = runtime;
    if (!pool) throw new Error('the chargeback exporter needs PostgreSQL');
    if (!kafka || !admin || !registry) throw new Error('the chargeback exporter needs Kafka');
    const insights = new InsightsRepository(pool);
    const status = new PipelineStatusMonitor(
      kafka,
      admin,
      registry,
      insights,
      config.CONSOLE_CONSUMER_GROUPS,
      new ConsoleMetrics(runtime.metrics),
      runtime.logger,
    );
    status.start(config.CONSOLE_STATUS_REFRESH_MS);
    return {
      module: ChargebackExporterModule,
      imports: [PlatformModule.forRuntime(runtime)],
      controllers: [
        FinanceController,
        AlertsController,
        BudgetOverridesController,
        CoverageController,
        InsightsController,
        ConsoleController,
      ],
      providers: [
        ApiAccessGuard,
        { provide: API_TOKENS, useValue: config.CHARGEBACK_API_TOKENS },
        { provide: ChargebackRepository, useValue: new ChargebackRepository(pool) },
        { provide: LedgerRepository, useValue: new LedgerRepository(pool) },
        { provide: AlertOperations, useValue: new AlertOperations(new PostgresAlertStore(pool)) },
        { provide: DIGEST_SOURCES, useValue: new PostgresDigestSources(pool) },
        { provide: OperatorMetrics, useValue: new OperatorMetrics(runtime.metrics) },
        { provide: CoverageRepository, useValue: new CoverageRepository(pool) },
        { provide: BudgetRepository, useValue: new BudgetRepository(pool) },
        {
          provide: ReconciliationStatusReader,
          useValue: new ReconciliationStatusReader(pool, config.RECONCILE_MONTH_TOLERANCE_BP),
        },
        { provide: InsightsRepository, useValue: insights },
        { provide: PipelineStatusMonitor, useValue: status },
        { provide: CLOCK, useValue: Date.now },
        {
          provide: STATEMENT_SETTINGS,
          useValue: { topUsers: config.STATEMENT_TOP_USERS } satisfies StatementSettings,
        },
      ],
    };
  }
}
