import { TOPICS } from '@tokentally/contracts';
import { runService, type ServiceDefinition } from '@tokentally/platform-service';
import { reconcilerEnv } from './config';
import { ReconcilerModule } from './reconciler.module';

/** Environment: `reconcilerEnv` in ./config.ts, documented in the README (`npm run docs`). */
export const ReconcilerService: ServiceDefinition<typeof reconcilerEnv> = {
  name: 'reconciler',
  env: reconcilerEnv,
  produces: [TOPICS.providerCosts, TOPICS.reconciliation, TOPICS.alerts],
  quarantineStage: 'reconciler',
  // export files arrive as raw bytes: a JSON body parsed by the framework would pass amounts through floats
  rawBodyTypes: ['text/*', 'application/octet-stream', 'application/x-ndjson', 'application/jsonl'],
  jsonBodyLimitBytes: () => 104_857_600,
  module: (runtime, config) => ReconcilerModule.forRuntime(runtime, config),
};

if (require.main === module) runService(ReconcilerService);
