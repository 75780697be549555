export type HealthStatus = 'up' | 'down';

export interface HealthCheckResult {
  status: HealthStatus;
  detail?: string;
  latencyMs: number;
}

export interface HealthReport {
  status: HealthStatus;
  checks: Record<string, HealthCheckResult>;
}

export type HealthCheck = () => Promise<string | void>;

/**
 * Readiness per dependency. A check resolves when its dependency answers and rejects (or times out)
 * otherwise; the report is `up` only when every check is. Each check is bounded so one hung
 * dependency cannot hang /health.
 */
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  async report(timeoutMs = 2000): Promise<HealthReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]): Promise<[string, HealthCheckResult]> => {
        const started = Date.now();
        try {
          const detail = await withTimeout(
            check(),
            timeoutMs,
            `${name} did not answer within ${timeoutMs} ms`,
          );
          return [name, { status: 'up', latencyMs: Date.now() - started, ...(detail ? { detail } : {}) }];
        } catch (error) {
          const detail = error instanceof Error ? error.message : String(error);
          return [name, { status: 'down', detail, latencyMs: Date.now() - started }];
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    const status = entries.every(([, result]) => result.status === 'up') ? 'up' : 'down';
    return { status, checks };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
