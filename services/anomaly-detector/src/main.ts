import { TOPICS } from '@tokentally/contracts';
import { runService, type ServiceDefinition } from '@tokentally/platform-service';
import { anomalyDetectorEnv } from './config';
import { AnomalyDetectorModule } from './anomaly-detector.module';

/** Environment: `anomalyDetectorEnv` in ./config.ts, documented in the README (`npm run docs`). */
export const AnomalyDetectorService: ServiceDefinition<typeof anomalyDetectorEnv> = {
  name: 'anomaly-detector',
  env: anomalyDetectorEnv,
  produces: [TOPICS.alerts],
  module: (runtime) => AnomalyDetectorModule.forRuntime(runtime),
};

if (require.main === module) runService(AnomalyDetectorService);
