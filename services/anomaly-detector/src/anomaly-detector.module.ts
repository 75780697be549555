import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, type ServiceRuntime } from '@tokentally/platform-service';

/**
 * Keeps rolling baselines in Redis and explains spend spikes on the alerts topic.
 * Walking skeleton: transport, config, health and metrics are wired; the domain handlers arrive with
 * their issues and live in libs/domain, not here.
 */
@Module({})
export class AnomalyDetectorModule {
  static forRuntime(runtime: ServiceRuntime): DynamicModule {
    return { module: AnomalyDetectorModule, imports: [PlatformModule.forRuntime(runtime)] };
  }
}
