import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, type ServiceRuntime } from '@tokentally/platform-service';

/**
 * Compares the ledger with provider usage and cost exports per day, model and account.
 * Walking skeleton: transport, config, health and metrics are wired; the domain handlers arrive with
 * their issues and live in libs/domain, not here.
 */
@Module({})
export class ReconcilerModule {
  static forRuntime(runtime: ServiceRuntime): DynamicModule {
    return { module: ReconcilerModule, imports: [PlatformModule.forRuntime(runtime)] };
  }
}
