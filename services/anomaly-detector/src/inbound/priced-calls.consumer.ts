import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS, type PricedCallEvent } from '@tokentally/contracts';
import type { ConsumedRecord } from '@tokentally/platform-kafka';
import { AnomalyDetectorPipeline } from '../anomaly-detector.pipeline';

/** llm.calls.priced.v1 -> windows, baselines, alerts. Offsets commit after the batch's state is in Redis. */
@Controller()
export class PricedCallsConsumer {
  constructor(@Inject(AnomalyDetectorPipeline) private readonly pipeline: AnomalyDetectorPipeline) {}

  @EventPattern(TOPICS.pricedCalls.name)
  async onBatch(@Payload() records: ConsumedRecord<PricedCallEvent>[]): Promise<void> {
    await this.pipeline.handle(records);
  }
}
