import { TOPICS } from '@tokentally/contracts';
import { runService, type ServiceDefinition } from '@tokentally/platform-service';
import { PricerModule } from './pricer.module';

/** Environment: SERVICE_ENV['pricer'] (libs/platform/config), documented in the README. */
export const PricerService: ServiceDefinition<'pricer'> = {
  name: 'pricer',
  produces: [TOPICS.pricedCalls],
  quarantineStage: 'pricer',
  module: (runtime, config) => PricerModule.forRuntime(runtime, config),
};

if (require.main === module) runService(PricerService);
