import type { z } from 'zod';
import {
  SERVICE_PORTS,
  databaseEnv,
  positiveInt,
  serviceBaseEnv,
  serviceSchema,
} from '@tokentally/platform-config';

/** The pricer's environment, validated at start-up and documented in the README (`npm run docs`). */
export const pricerEnv = serviceSchema({
  ...serviceBaseEnv(SERVICE_PORTS.pricer),
  ...databaseEnv,
  RATES_REFRESH_MS: positiveInt(
    5000,
    'How often the pricer checks for a newly applied rate book (tally rates apply)',
  ),
});
export type PricerConfig = z.infer<typeof pricerEnv>;
