import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS, type EnrichedCallEvent } from '@tokentally/contracts';
import type { ConsumedRecord } from '@tokentally/platform-kafka';
import { PricingPipeline } from '../pricing.pipeline';

/** llm.calls.enriched.v1 -> pricing + ledger. Offsets commit when the batch's transaction committed. */
@Controller()
export class EnrichedCallsConsumer {
  constructor(@Inject(PricingPipeline) private readonly pipeline: PricingPipeline) {}

  @EventPattern(TOPICS.enrichedCalls.name)
  async onBatch(@Payload() records: ConsumedRecord<EnrichedCallEvent>[]): Promise<void> {
    await this.pipeline.handle(records);
  }
}
