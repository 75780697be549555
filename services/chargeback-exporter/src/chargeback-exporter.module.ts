import { type DynamicModule, Module } from '@nestjs/common';
import {
  ChargebackRepository,
  InsightsRepository,
  LedgerRepository,
} from '@tokentally/adapters-postgres-ledger';
import { PlatformModule, type ServiceRuntime } from '@tokentally/platform-service';
import type { ChargebackExporterConfig } from './config';
import { STATEMENT_SETTINGS, type StatementSettings } from './chargeback.tokens';
import { API_TOKENS, ApiAccessGuard } from './inbound/api-access.guard';
import { FinanceController } from './inbound/finance.controller';
import { ConsoleController } from './inbound/console.controller';
import { CLOCK, InsightsController } from './inbound/insights.controller';
import { ConsoleMetrics } from './console.metrics';
import { PipelineStatusMonitor } from './outbound/pipeline-status.monitor';

/**
 * Serves per-team statements, CSV / JSON / FOCUS exports, budgets and request costs to finance, from the
 * ledger rollups (libs/domain/chargeback), behind API tokens with finance and team roles; and the web
 * console (/console/) with its JSON routes (burn, efficiency, pipeline status).
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
      controllers: [FinanceController, InsightsController, ConsoleController],
      providers: [
        ApiAccessGuard,
        { provide: API_TOKENS, useValue: config.CHARGEBACK_API_TOKENS },
        { provide: ChargebackRepository, useValue: new ChargebackRepository(pool) },
        { provide: LedgerRepository, useValue: new LedgerRepository(pool) },
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
