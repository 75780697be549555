import { Controller, Get, Header, Headers, Inject, Res, UnauthorizedException } from '@nestjs/common';
import { BearerTokens } from './bearer-tokens';
import { ServiceRuntime } from './service-runtime';

/**
 * GET /health: readiness of every dependency this service uses (200 when all are up, 503 otherwise).
 * GET /health/live: liveness only (the process answers), for orchestrators that restart on failure.
 * GET /metrics: Prometheus text format; behind METRICS_TOKEN when set (volumes and spend are not public).
 */
/** The slice of the platform's (express) response used here. */
interface JsonResponse {
  status(code: number): { json(body: unknown): void };
}

@Controller()
export class OperationsController {
  private readonly metricsTokens: BearerTokens<true> | undefined;

  constructor(@Inject(ServiceRuntime) private readonly runtime: ServiceRuntime) {
    const token = runtime.deps.metricsToken;
    this.metricsTokens = token === undefined ? undefined : new BearerTokens([{ token, scope: true }]);
  }

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
  metrics(@Headers('authorization') authorization: string | undefined): Promise<string> {
    if (this.metricsTokens && !this.metricsTokens.match(authorization))
      throw new UnauthorizedException('GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
    return this.runtime.metrics.render();
  }
}
