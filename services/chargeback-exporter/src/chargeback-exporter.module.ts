import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, type ServiceRuntime } from '@tokentally/platform-service';

/**
 * Serves per-team statements and FOCUS exports to finance, behind access control.
 * Walking skeleton: transport, config, health and metrics are wired; the domain handlers arrive with
 * their issues and live in libs/domain, not here.
 */
@Module({})
export class ChargebackExporterModule {
  static forRuntime(runtime: ServiceRuntime): DynamicModule {
    return { module: ChargebackExporterModule, imports: [PlatformModule.forRuntime(runtime)] };
  }
}
