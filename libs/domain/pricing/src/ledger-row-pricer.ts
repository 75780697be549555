import type { LedgerTokens, RowPricer } from '@tokentally/domain-ledger';
import { pricedComponents, type RateBook } from './rate-book';
import { resolveServedPricing } from './resolution';

/**
 * A token count read from the ledger (BigInt) as pricing takes it: exact or refused, never rounded
 * (a count beyond 2^53 would make the call unpriceable rather than priced on a wrong count).
 */
function tokenCount(value: bigint, name: string): number {
  const count = Number(value);
  if (!Number.isSafeInteger(count)) throw new RangeError(`${name} ${value} is beyond exact integers`);
  return count;
}

const bucketsOf = (row: LedgerTokens) => ({
  uncached_input: tokenCount(row.uncached_input_tokens, 'uncached_input_tokens'),
  cache_read: tokenCount(row.cache_read_tokens, 'cache_read_tokens'),
  cache_write_5m: tokenCount(row.cache_write_5m_tokens, 'cache_write_5m_tokens'),
  cache_write_1h: tokenCount(row.cache_write_1h_tokens, 'cache_write_1h_tokens'),
  output: tokenCount(row.output_tokens, 'output_tokens'),
  reasoning: tokenCount(row.reasoning_tokens, 'reasoning_tokens'),
  units: row.units,
});

/** Prices booked ledger rows with `book` for re-pricing (see `reprice` in domain-ledger). */
export function ledgerRowPricer(book: RateBook): RowPricer {
  return (row) => {
    // the same resolution as the pricer's, served model first (docs/pricing.md)
    const served = resolveServedPricing(book, {
      provider: row.provider,
      model: row.model,
      responseModel: row.response_model,
      region: row.region,
      serviceTier: row.service_tier,
      at: row.occurred_at.getTime(),
    });
    if ('problem' in served) return { problem: served.problem };
    const { resolution } = served;
    try {
      const { cost } = pricedComponents(bucketsOf(row), resolution);
      return {
        card: { id: resolution.card.id, version: resolution.card.version },
        multiplier: resolution.multiplier
          ? { id: resolution.multiplier.id, version: resolution.multiplier.version }
          : null,
        fx: resolution.fx ? { id: resolution.fx.id } : null,
        cost,
      };
    } catch (error) {
      return { problem: error instanceof Error ? error.message : String(error) };
    }
  };
}
