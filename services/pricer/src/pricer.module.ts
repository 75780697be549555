import { type DynamicModule, Module } from '@nestjs/common';
import { BudgetRepository } from '@tokentally/adapters-postgres-budget';
import { LedgerRepository, OrgRepository, RatesRepository } from '@tokentally/adapters-postgres-ledger';
import { PlatformModule, type ConfigOf, type ServiceRuntime } from '@tokentally/platform-service';
import { BudgetCheck } from './budget.check';
import { BudgetMetrics } from './budget.metrics';
import { BudgetRefreshTimer } from './inbound/budget-refresh.timer';
import { BudgetController } from './inbound/budget.controller';
import { EnrichedCallsConsumer } from './inbound/enriched-calls.consumer';
import { ExplainController } from './inbound/explain.controller';
import { BudgetPolicyCache } from './outbound/budget-policy.cache';
import { RedisBudgetStore } from '@tokentally/adapters-redis-budget';
import { RateBookCache } from './outbound/rate-book.cache';
import { PricerMetrics } from './pricer.metrics';
import { PricingPipeline } from './pricing.pipeline';

/**
 * Prices enriched calls against the rate book (libs/domain/pricing) and writes the idempotent ledger;
 * serves the cost of a request at GET /v1/traces/:traceId/cost.
 */
@Module({})
export class PricerModule {
  static forRuntime(runtime: ServiceRuntime, config: ConfigOf<'pricer'>): DynamicModule {
    const { producer, quarantine, pool, redis } = runtime;
    if (!producer || !quarantine || !pool || !redis)
      throw new Error('the pricer needs Kafka, PostgreSQL, Redis and a quarantine stage');
    const ledger = new LedgerRepository(pool);
    return {
      module: PricerModule,
      imports: [PlatformModule.forRuntime(runtime)],
      controllers: [EnrichedCallsConsumer, ExplainController, BudgetController],
      providers: [
        { provide: LedgerRepository, useValue: ledger },
        {
          provide: RateBookCache,
          useFactory: async () => {
            const cache = new RateBookCache(new RatesRepository(pool), runtime.logger);
            await cache.start(config.RATES_REFRESH_MS);
            return cache;
          },
        },
        {
          provide: BudgetPolicyCache,
          useFactory: async () => {
            const cache = new BudgetPolicyCache(
              new BudgetRepository(pool),
              new OrgRepository(pool),
              runtime.logger,
            );
            await cache.start(config.BUDGET_POLICY_REFRESH_MS);
            return cache;
          },
        },
        {
          provide: BudgetCheck,
          inject: [BudgetPolicyCache, RateBookCache],
          useFactory: (policy: BudgetPolicyCache, rates: RateBookCache) =>
            new BudgetCheck(
              policy,
              rates,
              new RedisBudgetStore(redis),
              new BudgetRepository(pool),
              new BudgetMetrics(runtime.metrics),
              { reservationTtlMs: config.BUDGET_RESERVATION_TTL_MS, failClosed: config.BUDGET_FAIL_CLOSED },
            ),
        },
        {
          provide: BudgetRefreshTimer,
          inject: [BudgetCheck],
          useFactory: (budget: BudgetCheck) =>
            new BudgetRefreshTimer(budget, runtime.logger, config.BUDGET_REFRESH_MS),
        },
        {
          provide: PricingPipeline,
          inject: [RateBookCache, BudgetCheck],
          useFactory: (rates: RateBookCache, budget: BudgetCheck) =>
            new PricingPipeline(
              ledger,
              rates,
              producer,
              quarantine,
              new PricerMetrics(runtime.metrics),
              budget,
            ),
        },
      ],
    };
  }
}
