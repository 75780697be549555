import { TOPICS } from '@tokentally/contracts';
import { runService, type ServiceDefinition } from '@tokentally/platform-service';
import { AnomalyDetectorModule } from './anomaly-detector.module';

/** Environment: SERVICE_ENV['anomaly-detector'] (libs/platform/config), documented in the README. */
export const AnomalyDetectorService: ServiceDefinition = {
  name: 'anomaly-detector',
  produces: [TOPICS.alerts],
  module: (runtime) => AnomalyDetectorModule.forRuntime(runtime),
};

if (require.main === module) runService(AnomalyDetectorService);
