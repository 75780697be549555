import { TOPICS } from '@tokentally/contracts';
import { runService, type ServiceDefinition } from '@tokentally/platform-service';
import { PricerModule } from './pricer.module';

/** Environment: SERVICE_ENV['pricer'] (libs/platform/config), documented in the README. */
export const PricerService: ServiceDefinition = {
  name: 'pricer',
  produces: [TOPICS.pricedCalls],
  quarantineStage: 'pricer',
  module: (runtime) => PricerModule.forRuntime(runtime),
};

if (require.main === module) runService(PricerService);
