import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, type ServiceRuntime } from '@tokentally/platform-service';

/**
 * Prices enriched calls against versioned rate cards and writes the idempotent ledger.
 * Walking skeleton: transport, config, health and metrics are wired; the domain handlers arrive with
 * their issues and live in libs/domain, not here.
 */
@Module({})
export class PricerModule {
  static forRuntime(runtime: ServiceRuntime): DynamicModule {
    return { module: PricerModule, imports: [PlatformModule.forRuntime(runtime)] };
  }
}
