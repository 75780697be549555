import type { PricedCallEvent } from '@tokentally/contracts';
import type { CallFact } from '@tokentally/domain-anomaly';

/**
 * Fields the ledger work adds to the priced event (prompt_template_version, owner_source). Read through
 * this narrow structural type so the detector compiles and runs with schemas that have them or not.
 */
interface OptionalPricedFields {
  prompt_template_version?: string | null;
}

/** A priced call as the detector sees it: dimensions, token sums and exact nanos. */
export function callFactOf(event: PricedCallEvent): CallFact {
  const optional = event as PricedCallEvent & OptionalPricedFields;
  const b = event.buckets;
  const c = event.cost;
  return {
    event_id: event.event_id,
    occurred_at: event.occurred_at,
    team: event.team_id,
    feature: event.feature,
    workflow: event.workflow ?? '',
    model: event.model,
    provider: event.provider,
    environment: event.environment,
    prompt_template_version: optional.prompt_template_version ?? '',
    is_retry: event.is_retry === true || event.is_fallback === true,
    input_tokens: b.uncached_input + b.cache_read + b.cache_write_5m + b.cache_write_1h,
    output_tokens: b.output,
    input_nanos:
      c.uncached_input_nanos + c.cache_read_nanos + c.cache_write_5m_nanos + c.cache_write_1h_nanos,
    cost_nanos: c.total_nanos,
    rate_card: `${event.rate_card_id}@${event.rate_card_version}`,
  };
}
