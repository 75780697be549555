import { TOPICS } from '@tokentally/contracts';
import { runService, type ServiceDefinition } from '@tokentally/platform-service';
import { ChargebackExporterModule } from './chargeback-exporter.module';

/** Environment: SERVICE_ENV['chargeback-exporter'] (libs/platform/config), documented in the README. */
export const ChargebackExporterService: ServiceDefinition<'chargeback-exporter'> = {
  name: 'chargeback-exporter',
  produces: [TOPICS.chargeback],
  module: (runtime, config) => ChargebackExporterModule.forRuntime(runtime, config),
};

if (require.main === module) runService(ChargebackExporterService);
