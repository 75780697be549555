import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS, type RawCallEvent } from '@tokentally/contracts';
import type { ConsumedRecord } from '@tokentally/platform-kafka';
import { EnrichmentPipeline } from '../enrichment.pipeline';

/** llm.calls.raw.v1 -> enrichment. One call per consumed batch; offsets commit when it resolves. */
@Controller()
export class RawCallsConsumer {
  constructor(@Inject(EnrichmentPipeline) private readonly pipeline: EnrichmentPipeline) {}

  @EventPattern(TOPICS.rawCalls.name)
  async onBatch(@Payload() records: ConsumedRecord<RawCallEvent>[]): Promise<void> {
    await this.pipeline.handle(records);
  }
}
