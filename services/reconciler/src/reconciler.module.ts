import { type DynamicModule, Module } from '@nestjs/common';
import { RatesRepository } from '@tokentally/adapters-postgres-ledger';
import { ReconciliationRepository, reconciliationStores } from '@tokentally/adapters-postgres-reconciliation';
import { BearerTokens, PlatformModule, type ServiceRuntime } from '@tokentally/platform-service';
import { adminApiOf, type ReconcilerConfig } from './config';
import { ADMIN_APIS, ReconciliationController, type AdminApis } from './inbound/reconciliation.controller';
import { RERUN_SETTINGS, RerunScheduler } from './inbound/rerun.scheduler';
import { UPLOAD_TOKENS, UploadTokenGuard } from './inbound/upload-token.guard';
import { ReconciliationPublisher } from './outbound/reconciliation.publisher';
import { ReconcilerMetrics } from './reconciler.metrics';
import { ReconcilerPipeline } from './reconciler.pipeline';

/**
 * Imports provider usage and cost exports (HTTP upload; `tally reconcile import` does the same from
 * the CLI), reconciles them with the ledger's daily rollups per provider, account, model, day and
 * token type (libs/domain/reconciliation), stores and publishes the results, and re-runs recent days.
 */
@Module({})
export class ReconcilerModule {
  static forRuntime(runtime: ServiceRuntime, config: ReconcilerConfig): DynamicModule {
    const { producer, pool } = runtime;
    if (!producer || !pool) throw new Error('the reconciler needs Kafka and PostgreSQL');
    const pipeline = new ReconcilerPipeline(
      reconciliationStores(pool),
      new RatesRepository(pool),
      new ReconciliationPublisher(producer),
      new ReconcilerMetrics(runtime.metrics),
      { toleranceBp: config.RECONCILE_TOLERANCE_BP, monthToleranceBp: config.RECONCILE_MONTH_TOLERANCE_BP },
    );
    return {
      module: ReconcilerModule,
      imports: [PlatformModule.forRuntime(runtime)],
      controllers: [ReconciliationController],
      providers: [
        { provide: ReconcilerPipeline, useValue: pipeline },
        { provide: ReconciliationRepository, useValue: new ReconciliationRepository(pool) },
        {
          provide: UPLOAD_TOKENS,
          useValue: new BearerTokens(
            config.RECONCILE_UPLOAD_TOKENS.map((token) => ({ token, scope: true as const })),
          ),
        },
        UploadTokenGuard,
        {
          provide: ADMIN_APIS,
          useValue: Object.fromEntries(
            (['openai', 'anthropic'] as const)
              .filter((p) => (p === 'openai' ? config.OPENAI_ADMIN_KEY : config.ANTHROPIC_ADMIN_KEY))
              .map((p) => [p, adminApiOf(config, p)]),
          ) satisfies AdminApis,
        },
        {
          provide: RERUN_SETTINGS,
          useValue: {
            intervalMs: config.RECONCILE_INTERVAL_MS,
            days: config.RECONCILE_DAYS,
            logger: runtime.logger,
          },
        },
        RerunScheduler,
      ],
    };
  }
}
