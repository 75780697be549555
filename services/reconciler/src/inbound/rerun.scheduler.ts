import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from '@tokentally/platform-observability';
import { ReconcilerPipeline } from '../reconciler.pipeline';

export const RERUN_SETTINGS = Symbol('RERUN_SETTINGS');

/**
 * The service re-runs the last RECONCILE_DAYS days by itself on RECONCILE_INTERVAL_MS: provider
 * exports restate (Anthropic within hours, GCP without a guarantee, CUR until the month is final).
 * One run at a time; a failed run is logged and retried on the next tick.
 */
@Injectable()
export class RerunScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(ReconcilerPipeline) private readonly pipeline: ReconcilerPipeline,
    @Inject(RERUN_SETTINGS) private readonly settings: { intervalMs: number; days: number; logger: Logger },
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.settings.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  tick(): void {
    if (this.running) return;
    this.running = this.pipeline
      .rerunRecent(this.settings.days)
      .then((run) =>
        this.settings.logger.info('reconciliation re-run', {
          cells: run.cells.length,
          alerts: run.alerts.length,
        }),
      )
      .catch((error: unknown) =>
        this.settings.logger.warn('reconciliation re-run failed; next tick retries', { error }),
      )
      .finally(() => {
        this.running = undefined;
      });
  }
}
