import { TOPICS } from '@tokentally/contracts';
import { runService, type ServiceDefinition } from '@tokentally/platform-service';
import { anomalyDetectorEnv } from './config';
import { AnomalyDetectorModule } from './anomaly-detector.module';

/** Environment: `anomalyDetectorEnv` in ./config.ts, documented in the README (`npm run docs`). */
export const AnomalyDetectorService: ServiceDefinition<typeof anomalyDetectorEnv> = {
  name: 'anomaly-detector',
  env: anomalyDetectorEnv,
  produces: [TOPICS.alerts],
  // undecodable priced events are set aside like everywhere else
  quarantineStage: 'other',
  module: (runtime, config) => AnomalyDetectorModule.forRuntime(runtime, config),
};

if (require.main === module) runService(AnomalyDetectorService);
