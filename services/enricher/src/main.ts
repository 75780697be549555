import { TOPICS } from '@tokentally/contracts';
import { runService, type ServiceDefinition } from '@tokentally/platform-service';
import { EnricherModule } from './enricher.module';

/** Environment: SERVICE_ENV['enricher'] (libs/platform/config), documented in the README. */
export const EnricherService: ServiceDefinition<'enricher'> = {
  name: 'enricher',
  produces: [TOPICS.rawCalls, TOPICS.enrichedCalls],
  quarantineStage: 'enricher',
  jsonBodyLimitBytes: (config) => config.INGEST_MAX_BODY_BYTES,
  rawBodyTypes: ['application/x-protobuf'],
  module: (runtime, config) => EnricherModule.forRuntime(runtime, config),
};

if (require.main === module) runService(EnricherService);
