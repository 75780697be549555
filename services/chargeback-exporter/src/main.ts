import { TOPICS } from '@tokentally/contracts';
import { runService, type ServiceDefinition } from '@tokentally/platform-service';
import { chargebackExporterEnv } from './config';
import { ChargebackExporterModule } from './chargeback-exporter.module';

/** Environment: `chargebackExporterEnv` in ./config.ts, documented in the README (`npm run docs`). */
export const ChargebackExporterService: ServiceDefinition<typeof chargebackExporterEnv> = {
  name: 'chargeback-exporter',
  env: chargebackExporterEnv,
  produces: [TOPICS.chargeback],
  module: (runtime, config) => ChargebackExporterModule.forRuntime(runtime, config),
};

if (require.main === module) runService(ChargebackExporterService);
