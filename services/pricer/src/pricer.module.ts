import { type DynamicModule, Module } from '@nestjs/common';
import { BudgetRepository } from '@tokentally/adapters-postgres-budget';
import { LedgerRepository, OrgRepository, RatesRepository } from '@tokentally/adapters-postgres-ledger';
import { RedisBudgetStore } from '@tokentally/adapters-redis-budget';
import { BearerTokens, PlatformModule, type ServiceRuntime } from '@tokentally/platform-service';
import { BudgetCheck } from './budget.check';
import { BudgetMetrics } from './budget.metrics';
import type { PricerConfig } from './config';
import { BudgetCheckRoute } from './inbound/budget-check.route';
import { BudgetRefreshTimer } from './inbound/budget-refresh.timer';
import { EnrichedCallsConsumer } from './inbound/enriched-calls.consumer';
import { OpenApiController } from './inbound/openapi.controller';
import { BudgetPolicyCache } from './outbound/budget-policy.cache';
import { RateBookCache } from './outbound/rate-book.cache';
import { PricerMetrics } from './pricer.metrics';
import { PricingPipeline } from './pricing.pipeline';

/**
 * Prices enriched calls against the rate book (libs/domain/pricing) and writes the idempotent ledger.
 * It serves no ledger data over HTTP: a request's cost is the finance API's (chargeback exporter,
 * behind team-scoped tokens), or `tally explain`.
 */
@Module({})
export class PricerModule {
  static forRuntime(runtime: ServiceRuntime, config: PricerConfig): DynamicModule {
    const { producer, quarantine, pool, redis } = runtime;
    if (!producer || !quarantine || !pool || !redis)
      throw new Error('the pricer needs Kafka, PostgreSQL, Redis and a quarantine stage');
    const ledger = new LedgerRepository(pool);
    return {
      module: PricerModule,
      imports: [PlatformModule.forRuntime(runtime)],
      controllers: [EnrichedCallsConsumer, OpenApiController],
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
          provide: BudgetCheckRoute,
          inject: [BudgetCheck],
          useFactory: (budget: BudgetCheck) =>
            new BudgetCheckRoute(
              budget,
              new BearerTokens(config.BUDGET_TOKENS.map((token) => ({ token, scope: true as const }))),
            ),
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
