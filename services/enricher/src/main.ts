import { TOPICS } from '@tokentally/contracts';
import { runService, type ServiceDefinition } from '@tokentally/platform-service';
import { enricherEnv } from './config';
import { EnricherModule } from './enricher.module';

/** Environment: `enricherEnv` in ./config.ts, documented in the README (`npm run docs`). */
export const EnricherService: ServiceDefinition<typeof enricherEnv> = {
  name: 'enricher',
  env: enricherEnv,
  produces: [TOPICS.rawCalls, TOPICS.enrichedCalls],
  quarantineStage: 'enricher',
  jsonBodyLimitBytes: (config) => config.INGEST_MAX_BODY_BYTES,
  rawBodyTypes: ['application/x-protobuf'],
  module: (runtime, config) => EnricherModule.forRuntime(runtime, config),
};

if (require.main === module) runService(EnricherService);
