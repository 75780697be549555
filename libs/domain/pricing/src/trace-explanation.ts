import {
  COST_COMPONENTS,
  type AdjustmentRecord,
  type CostComponent,
  type LedgerRow,
} from '@tokentally/domain-ledger';
import { nanosToDecimal } from '@tokentally/domain-money';

const usd = (nanos: bigint): { nanos: string; usd: string } => ({
  nanos: nanos.toString(),
  usd: nanosToDecimal(nanos),
});

/**
 * A request's cost, call by call, from its ledger rows and adjustments as the ledger reads them back:
 * owner, tokens per bucket, the rate card (and multiplier, FX) that priced it, every component,
 * adjustments booked by re-pricing, and the totals. Money is exact: nanos as integer strings plus the
 * exact decimal USD.
 */
export function explainTrace(
  traceId: string,
  calls: readonly LedgerRow[],
  adjustments: readonly AdjustmentRecord[],
) {
  const adjustmentsOf = new Map<string, AdjustmentRecord[]>();
  for (const adjustment of adjustments)
    adjustmentsOf.set(adjustment.event_id, [...(adjustmentsOf.get(adjustment.event_id) ?? []), adjustment]);
  let total = 0n;
  const explained = calls.map((call) => {
    const own = adjustmentsOf.get(call.event_id) ?? [];
    const effective = own.reduce((sum, a) => sum + a.total_nanos, call.total_nanos);
    total += effective;
    return {
      event_id: call.event_id,
      occurred_at: call.occurred_at.toISOString(),
      period: call.period,
      span_id: call.span_id,
      parent_span_id: call.parent_span_id,
      owner: {
        team_id: call.team_id,
        user_ref: call.user_ref,
        feature: call.feature,
        workflow: call.workflow,
        environment: call.environment,
      },
      call: {
        provider: call.provider,
        model: call.model,
        region: call.region,
        service_tier: call.service_tier,
        attempt: call.attempt,
        is_retry: call.is_retry,
        is_fallback: call.is_fallback,
        status_code: call.status_code,
      },
      tokens: {
        uncached_input: Number(call.uncached_input_tokens),
        cache_read: Number(call.cache_read_tokens),
        cache_write_5m: Number(call.cache_write_5m_tokens),
        cache_write_1h: Number(call.cache_write_1h_tokens),
        output: Number(call.output_tokens),
        reasoning: Number(call.reasoning_tokens),
        units: call.units,
      },
      rate: {
        rate_card_id: call.rate_card_id,
        rate_card_version: call.rate_card_version,
        multiplier: call.rate_multiplier_id
          ? { id: call.rate_multiplier_id, factor: call.rate_multiplier }
          : null,
        pricing_tier: call.pricing_tier,
        currency: call.original_currency,
        original_total: call.original_total_minor === null ? null : nanosToDecimal(call.original_total_minor),
        fx_rate_id: call.fx_rate_id,
      },
      cost: Object.fromEntries([
        ...COST_COMPONENTS.map((c) => [c, usd(call[`${c}_nanos`])] as const),
        ['total', usd(call.total_nanos)] as const,
      ]) as Record<CostComponent | 'total', { nanos: string; usd: string }>,
      adjustments: own.map((a) => ({
        adjustment_id: a.adjustment_id,
        period: a.period,
        rate_card_id: a.rate_card_id,
        rate_card_version: a.rate_card_version,
        reason: a.reason,
        delta: usd(a.total_nanos),
        created_at: a.created_at.toISOString(),
      })),
      effective_total: usd(effective),
    };
  });
  return {
    trace_id: traceId,
    calls: explained,
    totals: {
      calls: calls.length,
      retries: calls.filter((c) => c.is_retry).length,
      fallbacks: calls.filter((c) => c.is_fallback).length,
      failed: calls.filter((c) => c.status_code !== null && c.status_code >= 400).length,
      cost: usd(total),
    },
  };
}

export type TraceExplanation = ReturnType<typeof explainTrace>;
