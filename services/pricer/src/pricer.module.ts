import { type DynamicModule, Module } from '@nestjs/common';
import { LedgerRepository, RatesRepository } from '@tokentally/platform-db';
import { PlatformModule, type ServiceRuntime } from '@tokentally/platform-service';
import type { PricerConfig } from './config';
import { EnrichedCallsConsumer } from './inbound/enriched-calls.consumer';
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
    const { producer, quarantine, pool } = runtime;
    if (!producer || !quarantine || !pool)
      throw new Error('the pricer needs Kafka, PostgreSQL and a quarantine stage');
    const ledger = new LedgerRepository(pool);
    return {
      module: PricerModule,
      imports: [PlatformModule.forRuntime(runtime)],
      controllers: [EnrichedCallsConsumer],
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
          provide: PricingPipeline,
          inject: [RateBookCache],
          useFactory: (rates: RateBookCache) =>
            new PricingPipeline(ledger, rates, producer, quarantine, new PricerMetrics(runtime.metrics)),
        },
      ],
    };
  }
}
