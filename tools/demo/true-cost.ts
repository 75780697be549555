import type { RawCallEvent } from '@tokentally/contracts';

/**
 * What the demo's calls truly cost, computed apart from the pricer: integer nano-USD per token from the
 * catalog's list prices (a $P per 1M price is P x 1,000 nanos per token), each provider's usage semantics
 * written out by hand, and the demo's negotiated 10% Anthropic discount.
 */

export const PRICE: Record<
  string,
  { input: bigint; cacheRead: bigint; cacheWrite5m?: bigint; cacheWrite1h?: bigint; output: bigint }
> = {
  'gpt-4o': { input: 2500n, cacheRead: 1250n, output: 10_000n },
  'o4-mini': { input: 1100n, cacheRead: 275n, output: 4400n },
  'claude-sonnet-4-5': {
    input: 3000n,
    cacheRead: 300n,
    cacheWrite5m: 3750n,
    cacheWrite1h: 6000n,
    output: 15_000n,
  },
  'gemini-2.5-flash': { input: 300n, cacheRead: 30n, output: 2500n },
};
export const PROVIDER: Record<string, string> = {
  'gpt-4o': 'openai',
  'o4-mini': 'openai',
  'claude-sonnet-4-5': 'anthropic',
  'gemini-2.5-flash': 'google',
};

/** The cost of one call from its raw usage, by the provider's own counting rules. */
export function trueCost(
  provider: string,
  model: string,
  usage: RawCallEvent['usage'],
  discounted: boolean,
): bigint {
  const price = PRICE[model];
  if (!price) throw new Error(`no demo price for ${model}`);
  const cacheRead = BigInt(usage.cached_input_tokens ?? 0);
  const writes = BigInt(usage.cache_write_tokens ?? 0);
  const writes1h = BigInt(usage.cache_write_1h_tokens ?? 0);
  const reasoning = BigInt(usage.reasoning_tokens ?? 0);
  // OpenAI and Gemini count cache reads inside input; Anthropic does not.
  const uncached =
    provider === 'anthropic' ? BigInt(usage.input_tokens) : BigInt(usage.input_tokens) - cacheRead - writes;
  // Gemini reports thoughts apart from candidates; both are billed as output.
  const output =
    provider === 'google' ? BigInt(usage.output_tokens) + reasoning : BigInt(usage.output_tokens);
  const nanos =
    uncached * price.input +
    cacheRead * price.cacheRead +
    (writes - writes1h) * (price.cacheWrite5m ?? price.input) +
    writes1h * (price.cacheWrite1h ?? price.cacheWrite5m ?? price.input) +
    output * price.output;
  // 0.9 x an integer number of nanos per token that is a multiple of 10: exact, no rounding
  return discounted ? (nanos * 9n) / 10n : nanos;
}
