import { TOPICS } from '@tokentally/contracts';
import { runService, type ServiceDefinition } from '@tokentally/platform-service';
import { ReconcilerModule } from './reconciler.module';

/** Environment: SERVICE_ENV['reconciler'] (libs/platform/config), documented in the README. */
export const ReconcilerService: ServiceDefinition = {
  name: 'reconciler',
  produces: [TOPICS.providerCosts, TOPICS.reconciliation],
  quarantineStage: 'reconciler',
  module: (runtime) => ReconcilerModule.forRuntime(runtime),
};

if (require.main === module) runService(ReconcilerService);
