import { TOPICS } from '@tokentally/contracts';
import { runService, type ServiceDefinition } from '@tokentally/platform-service';
import { reconcilerEnv } from './config';
import { ReconcilerModule } from './reconciler.module';

/** Environment: `reconcilerEnv` in ./config.ts, documented in the README (`npm run docs`). */
export const ReconcilerService: ServiceDefinition<typeof reconcilerEnv> = {
  name: 'reconciler',
  env: reconcilerEnv,
  produces: [TOPICS.providerCosts, TOPICS.reconciliation],
  quarantineStage: 'reconciler',
  module: (runtime) => ReconcilerModule.forRuntime(runtime),
};

if (require.main === module) runService(ReconcilerService);
