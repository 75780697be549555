import type { z } from 'zod';
import { SERVICE_PORTS, databaseEnv, serviceBaseEnv, serviceSchema } from '@tokentally/platform-config';

/** The reconciler's environment, validated at start-up and documented in the README (`npm run docs`). */
export const reconcilerEnv = serviceSchema({
  ...serviceBaseEnv(SERVICE_PORTS.reconciler),
  ...databaseEnv,
});
export type ReconcilerConfig = z.infer<typeof reconcilerEnv>;
