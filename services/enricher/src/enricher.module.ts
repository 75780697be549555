import { type DynamicModule, Module } from '@nestjs/common';
import { OrgRepository, QuarantineRepository } from '@tokentally/platform-db';
import { PlatformModule, type ConfigOf, type ServiceRuntime } from '@tokentally/platform-service';
import { EnricherMetrics } from './enricher.metrics';
import { INGEST_SETTINGS, RAW_PRODUCER, type IngestSettings } from './enricher.tokens';
import { EnrichmentPipeline } from './enrichment.pipeline';
import { IngestController } from './inbound/ingest.controller';
import { RawCallsConsumer } from './inbound/raw-calls.consumer';
import { OrgCache } from './outbound/org-cache';
import { QuarantinedEventsStore } from './outbound/quarantined-events.store';
import { SeenEventsStore } from './outbound/seen-events.store';

/**
 * Validates the ownership envelope of raw calls, resolves owners, pseudonymises ids and normalises
 * usage (libs/domain/enrichment); consumes llm.calls.raw.v1 and serves HTTP ingest.
 */
@Module({})
export class EnricherModule {
  static forRuntime(runtime: ServiceRuntime, config: ConfigOf<'enricher'>): DynamicModule {
    const { producer, quarantine, pool, redis } = runtime;
    if (!producer || !quarantine || !pool || !redis)
      throw new Error('the enricher needs Kafka, PostgreSQL, Redis and a quarantine stage');
    const metrics = new EnricherMetrics(runtime.metrics);
    const pseudonymKey = { id: config.PSEUDONYM_KEY_ID, secret: config.PSEUDONYM_SECRET };
    return {
      module: EnricherModule,
      imports: [PlatformModule.forRuntime(runtime)],
      controllers: [RawCallsConsumer, IngestController],
      providers: [
        { provide: EnricherMetrics, useValue: metrics },
        { provide: RAW_PRODUCER, useValue: producer },
        {
          provide: INGEST_SETTINGS,
          useValue: {
            tokens: config.INGEST_TOKENS,
            maxEvents: config.INGEST_MAX_EVENTS,
            pseudonymKey,
          } satisfies IngestSettings,
        },
        {
          provide: OrgCache,
          useFactory: async () => {
            const cache = new OrgCache(new OrgRepository(pool), runtime.logger);
            await cache.start(config.ORG_REFRESH_MS);
            return cache;
          },
        },
        {
          provide: EnrichmentPipeline,
          inject: [OrgCache],
          useFactory: (org: OrgCache) =>
            new EnrichmentPipeline(
              producer,
              quarantine,
              new SeenEventsStore(redis, config.DEDUP_TTL_SECONDS),
              org,
              {
                enforcement: config.OWNER_ENFORCEMENT,
                pseudonymKey,
              },
              metrics,
              new QuarantinedEventsStore(new QuarantineRepository(pool)),
            ),
        },
      ],
    };
  }
}
