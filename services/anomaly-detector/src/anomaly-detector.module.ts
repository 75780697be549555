import { type DynamicModule, Module } from '@nestjs/common';
import { TOPICS } from '@tokentally/contracts';
import { parseDecimalToNanos } from '@tokentally/domain-money';
import { AnomalyDetector, DEFAULT_DETECTOR_PARAMS, type DetectorParams } from '@tokentally/domain-anomaly';
import { AlertsRepository, WebhookOutbox } from '@tokentally/adapters-postgres-alerts';
import { PlatformModule, type ServiceRuntime } from '@tokentally/platform-service';
import type { AnomalyDetectorConfig } from './config';
import { AnomalyDetectorMetrics } from './anomaly-detector.metrics';
import { AnomalyDetectorPipeline } from './anomaly-detector.pipeline';
import { PricedCallsConsumer } from './inbound/priced-calls.consumer';
import { WebhookTimer } from './inbound/webhook.timer';
import { BudgetChecker } from './outbound/budget.checker';
import { DetectorStateStore } from './outbound/detector-state.store';
import { PartitionLagReader } from './outbound/partition-lag.reader';

type Config = AnomalyDetectorConfig;

export function detectorParamsOf(config: Config): DetectorParams {
  return {
    ...DEFAULT_DETECTOR_PARAMS,
    spikeRatio: config.ANOMALY_SPIKE_RATIO,
    minImpactPerHourNanos: Number(parseDecimalToNanos(config.ANOMALY_MIN_IMPACT_USD_PER_HOUR)),
    noiseZ: config.ANOMALY_NOISE_Z,
    longNoiseZ: config.ANOMALY_NOISE_Z_LONG,
    dropRatio: config.ANOMALY_DROP_RATIO,
    windowsMinutes: config.ANOMALY_WINDOWS_MINUTES,
    intensityWindowsMinutes: config.ANOMALY_INTENSITY_WINDOWS_MINUTES,
    dropWindowsMinutes: config.ANOMALY_DROP_WINDOWS_MINUTES,
    unitCostCvFloor: config.ANOMALY_UNIT_COST_CV_FLOOR,
    weeks: config.ANOMALY_BASELINE_WEEKS,
    minWeeks: config.ANOMALY_MIN_WEEKS,
    latenessMs: config.ANOMALY_LATENESS_MS,
    idleCloseMs: config.ANOMALY_IDLE_CLOSE_MS,
    partitionIdleMs: config.ANOMALY_PARTITION_IDLE_MS,
    resolveAfterMinutes: config.ANOMALY_RESOLVE_AFTER_MINUTES,
  };
}

/**
 * Consumes priced calls (its own consumer group), keeps seasonal baselines and windows in Redis,
 * explains spikes and drops on llm.alerts.v1 and in Postgres, and fires budget thresholds once.
 */
@Module({})
export class AnomalyDetectorModule {
  static forRuntime(runtime: ServiceRuntime, config: Config): DynamicModule {
    const { producer, pool, redis } = runtime;
    if (!producer || !pool || !redis)
      throw new Error('the anomaly detector needs Kafka, PostgreSQL and Redis');
    const alerts = new AlertsRepository(pool);
    const metrics = new AnomalyDetectorMetrics(runtime.metrics);
    const webhooks = new WebhookTimer(
      new WebhookOutbox(pool),
      {
        targets: config.ALERT_WEBHOOK_URLS,
        pollMs: config.ALERT_WEBHOOK_POLL_MS,
        timeoutMs: config.ALERT_WEBHOOK_TIMEOUT_MS,
        retry: {
          initialDelayMs: config.ALERT_WEBHOOK_RETRY_INITIAL_MS,
          maxDelayMs: config.ALERT_WEBHOOK_RETRY_MAX_MS,
        },
      },
      metrics,
      runtime.logger,
    );
    const pipeline = new AnomalyDetectorPipeline(
      new AnomalyDetector(detectorParamsOf(config)),
      new DetectorStateStore(redis, config.ANOMALY_REDIS_PREFIX),
      alerts,
      new BudgetChecker(alerts, config.BUDGET_ALERT_THRESHOLDS_BP),
      producer,
      runtime.admin &&
        new PartitionLagReader(
          runtime.admin,
          runtime.deps.kafka?.consumerGroup ?? `tokentally-${runtime.name}`,
          TOPICS.pricedCalls.name,
        ),
      metrics,
      runtime.logger,
      { budgetCheckMs: config.BUDGET_ALERT_CHECK_MS },
    );
    return {
      module: AnomalyDetectorModule,
      imports: [PlatformModule.forRuntime(runtime)],
      controllers: [PricedCallsConsumer],
      providers: [
        { provide: AlertsRepository, useValue: alerts },
        { provide: AnomalyDetectorPipeline, useValue: pipeline },
        { provide: WebhookTimer, useValue: webhooks },
      ],
    };
  }
}
