import { TOPICS } from '@tokentally/contracts';
import { runService, type ServiceDefinition } from '@tokentally/platform-service';
import { pricerEnv } from './config';
import { BudgetCheckRoute } from './inbound/budget-check.route';
import { PricerModule } from './pricer.module';

/** Environment: `pricerEnv` in ./config.ts, documented in the README (`npm run docs`). */
export const PricerService: ServiceDefinition<typeof pricerEnv> = {
  name: 'pricer',
  env: pricerEnv,
  produces: [TOPICS.pricedCalls],
  quarantineStage: 'pricer',
  module: (runtime, config) => PricerModule.forRuntime(runtime, config),
  directRoutes: (app) => [app.get(BudgetCheckRoute)],
};

if (require.main === module) runService(PricerService);
