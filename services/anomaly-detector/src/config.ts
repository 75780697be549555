import type { z } from 'zod';
import { SERVICE_PORTS, redisEnv, serviceBaseEnv, serviceSchema } from '@tokentally/platform-config';

/** The anomaly detector's environment, validated at start-up and documented in the README (`npm run docs`). */
export const anomalyDetectorEnv = serviceSchema({
  ...serviceBaseEnv(SERVICE_PORTS['anomaly-detector']),
  ...redisEnv,
});
export type AnomalyDetectorConfig = z.infer<typeof anomalyDetectorEnv>;
