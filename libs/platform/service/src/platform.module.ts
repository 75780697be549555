import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { OperationsController } from './health.controller';
import { ServiceRuntime } from './service-runtime';

/** Wires the runtime (connections, metrics, health) and the operations endpoints into a service. */
@Module({})
export class PlatformModule {
  static forRuntime(runtime: ServiceRuntime): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      controllers: [OperationsController],
      providers: [{ provide: ServiceRuntime, useValue: runtime }, RuntimeShutdown],
      exports: [ServiceRuntime],
    };
  }
}

@Injectable()
class RuntimeShutdown implements OnApplicationShutdown {
  constructor(@Inject(ServiceRuntime) private readonly runtime: ServiceRuntime) {}
  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }
}
