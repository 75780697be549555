import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { WebhookRetryPolicy, WebhookTarget } from '@tokentally/domain-anomaly';
import type { WebhookOutbox } from '@tokentally/adapters-postgres-alerts';
import type { Logger } from '@tokentally/platform-observability';
import type { AnomalyDetectorMetrics } from '../anomaly-detector.metrics';
import { postWebhook } from '../outbound/webhook.poster';

export interface WebhookSettings {
  targets: WebhookTarget[];
  pollMs: number;
  timeoutMs: number;
  retry: WebhookRetryPolicy;
}

/**
 * Every pollMs: fan new alert revisions out into the webhook outbox, then post what is due. Runs in
 * every replica (row locks keep them apart); an alert stored while a webhook is down waits in the
 * outbox with a capped exponential backoff until the webhook answers 2xx.
 */
export class WebhookTimer implements OnModuleInit, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly outbox: WebhookOutbox,
    private readonly settings: WebhookSettings,
    private readonly metrics: AnomalyDetectorMetrics,
    private readonly logger: Logger,
  ) {}

  /** Without webhooks it still marks new alerts fanned out (to none): a webhook added later gets new ones only. */
  onModuleInit(): void {
    const tick = (): void => {
      if (this.stopped) return;
      this.running = this.tick()
        .catch((error: unknown) => this.logger.warn('webhook round failed; retried', { error }))
        .finally(() => {
          // with no webhook there is only the fan-out to keep up with: a slower pace is enough
          const pause = this.settings.targets.length > 0 ? this.settings.pollMs : 10 * this.settings.pollMs;
          if (!this.stopped) this.timer = setTimeout(tick, pause);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One round: fan out, then post until nothing due is left (or everything left is failing). */
  async tick(): Promise<void> {
    while ((await this.outbox.enqueue(this.settings.targets)) > 0);
    for (;;) {
      const round = await this.outbox.deliverDue(
        this.settings.targets,
        (delivery) => postWebhook(delivery, this.settings.timeoutMs),
        this.settings.retry,
      );
      for (const { delivery, result } of round.failed) {
        this.metrics.webhookFailures.inc({ webhook: delivery.target.id });
        this.logger.warn('webhook delivery failed; retried with backoff', {
          webhook: delivery.target.id,
          alert_id: delivery.alert.alert_id,
          attempt: delivery.attempts + 1,
          status: result.status,
          error: result.error,
        });
      }
      if (round.delivered === 0) return;
    }
  }
}
