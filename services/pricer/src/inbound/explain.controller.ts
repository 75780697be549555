import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { explainTrace, type TraceExplanation } from '@tokentally/domain-pricing';
import { LedgerRepository } from '@tokentally/adapters-postgres-ledger';

/** GET /v1/traces/:traceId/cost: what `tally explain` prints, as JSON. */
@Controller('v1/traces')
export class ExplainController {
  constructor(@Inject(LedgerRepository) private readonly ledger: LedgerRepository) {}

  @Get(':traceId/cost')
  async explain(@Param('traceId') traceId: string): Promise<TraceExplanation> {
    const { calls, adjustments } = await this.ledger.byTrace(traceId);
    if (calls.length === 0)
      throw new NotFoundException(`no priced call with trace_id "${traceId}" in the ledger (yet)`);
    return explainTrace(traceId, calls, adjustments);
  }
}
