import { TOPICS } from '@tokentally/contracts';
import { runService, type ServiceDefinition } from '@tokentally/platform-service';
import { AnomalyDetectorModule } from './anomaly-detector.module';

/** Environment: SERVICE_ENV['anomaly-detector'] (libs/platform/config), documented in the README. */
export const AnomalyDetectorService: ServiceDefinition<'anomaly-detector'> = {
  name: 'anomaly-detector',
  produces: [TOPICS.alerts],
  // undecodable priced events are set aside like everywhere else
  quarantineStage: 'other',
  module: (runtime, config) => AnomalyDetectorModule.forRuntime(runtime, config),
};

if (require.main === module) runService(AnomalyDetectorService);
