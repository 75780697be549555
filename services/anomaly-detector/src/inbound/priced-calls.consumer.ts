import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS, type PricedCallEvent } from '@tokentally/contracts';
import type { BatchContext, ConsumedRecord } from '@tokentally/platform-kafka';
import { AnomalyDetectorPipeline } from '../anomaly-detector.pipeline';

/** llm.calls.priced.v1 -> windows, baselines, alerts. Offsets commit after the batch's state is in Redis. */
@Controller()
export class PricedCallsConsumer {
  constructor(@Inject(AnomalyDetectorPipeline) private readonly pipeline: AnomalyDetectorPipeline) {}

  @EventPattern(TOPICS.pricedCalls.name)
  async onBatch(
    @Payload() records: ConsumedRecord<PricedCallEvent>[],
    @Ctx() context: BatchContext,
  ): Promise<void> {
    await this.pipeline.handle(records, context);
  }
}
