import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ServiceRuntime } from './service-runtime';

/**
 * GET /health: readiness of every dependency this service uses (200 when all are up, 503 otherwise).
 * GET /health/live: liveness only (the process answers), for orchestrators that restart on failure.
 * GET /metrics: Prometheus text format.
 */
/** The slice of the platform's (express) response used here. */
interface JsonResponse {
  status(code: number): { json(body: unknown): void };
}

@Controller()
export class OperationsController {
  constructor(@Inject(ServiceRuntime) private readonly runtime: ServiceRuntime) {}

  @Get('health')
  async health(@Res() response: JsonResponse): Promise<void> {
    const report = await this.runtime.health.report();
    response.status(report.status === 'up' ? 200 : 503).json({ service: this.runtime.name, ...report });
  }

  @Get('health/live')
  live(): { status: 'up'; service: string; uptimeSeconds: number } {
    return { status: 'up', service: this.runtime.name, uptimeSeconds: Math.round(process.uptime()) };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.runtime.metrics.render();
  }
}
