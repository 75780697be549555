import { TOPICS } from '@tokentally/contracts';
import { runService, type ServiceDefinition } from '@tokentally/platform-service';
import { ReconcilerModule } from './reconciler.module';

/** Environment: SERVICE_ENV['reconciler'] (libs/platform/config), documented in the README. */
export const ReconcilerService: ServiceDefinition<'reconciler'> = {
  name: 'reconciler',
  produces: [TOPICS.providerCosts, TOPICS.reconciliation, TOPICS.alerts],
  quarantineStage: 'reconciler',
  // export files arrive as raw bytes: a JSON body parsed by the framework would pass amounts through floats
  rawBodyTypes: ['text/*', 'application/octet-stream', 'application/x-ndjson', 'application/jsonl'],
  jsonBodyLimitBytes: () => 104_857_600,
  module: (runtime, config) => ReconcilerModule.forRuntime(runtime, config),
};

if (require.main === module) runService(ReconcilerService);
