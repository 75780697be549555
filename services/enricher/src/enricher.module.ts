import { type DynamicModule, Module } from '@nestjs/common';
import { OrgRepository } from '@tokentally/adapters-postgres-ledger';
import { pseudonymKeyringOf } from '@tokentally/platform-config';
import { QuarantineRepository } from '@tokentally/platform-db';
import { PlatformModule, type ServiceRuntime } from '@tokentally/platform-service';
import type { EnricherConfig } from './config';
import { EnricherMetrics } from './enricher.metrics';
import { INGEST_SETTINGS, RAW_PRODUCER, type IngestSettings } from './enricher.tokens';
import { EnrichmentPipeline } from './enrichment.pipeline';
import { IngestAuth } from './inbound/ingest-auth';
import { IngestController } from './inbound/ingest.controller';
import { RawCallsConsumer } from './inbound/raw-calls.consumer';
import { OrgCache } from './outbound/org.cache';
import { QuarantinedEventsStore } from './outbound/quarantined-events.store';
import { SeenEventsStore } from './outbound/seen-events.store';

const INGEST_SEND_DEADLINE_MS = 3000;

/**
 * Validates the ownership envelope of raw calls, resolves owners, pseudonymises ids and normalises
 * usage (libs/domain/enrichment); consumes llm.calls.raw.v1 and serves HTTP ingest.
 */
@Module({})
export class EnricherModule {
  static forRuntime(runtime: ServiceRuntime, config: EnricherConfig): DynamicModule {
    const { producer, quarantine, pool, redis } = runtime;
    if (!producer || !quarantine || !pool || !redis)
      throw new Error('the enricher needs Kafka, PostgreSQL, Redis and a quarantine stage');
    const metrics = new EnricherMetrics(runtime.metrics);
    // New refs are made with the current key only; the previous one is for matching (tally refs).
    const pseudonymKey = pseudonymKeyringOf(config).current;
    return {
      module: EnricherModule,
      imports: [PlatformModule.forRuntime(runtime)],
      controllers: [RawCallsConsumer, IngestController],
      providers: [
        IngestAuth,
        { provide: EnricherMetrics, useValue: metrics },
        // HTTP callers wait on this producer: a broker outage answers 503 within the deadline.
        { provide: RAW_PRODUCER, useValue: producer.withDeadline(INGEST_SEND_DEADLINE_MS) },
        {
          provide: INGEST_SETTINGS,
          useValue: {
            tokens: config.INGEST_TOKENS,
            maxEvents: config.INGEST_MAX_EVENTS,
            authMaxFailures: config.INGEST_AUTH_MAX_FAILURES,
            authWindowMs: config.INGEST_AUTH_WINDOW_SECONDS * 1000,
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
