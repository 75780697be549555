import type { BillableBuckets, RawUsage } from '@tokentally/contracts';
import { reject, type Outcome } from './rejection';

/**
 * How each provider counts tokens, so every source becomes the same disjoint buckets before pricing
 * (docs/usage-normalisation.md has the table and the sources).
 * - inputIncludesCacheRead: OpenAI, Azure OpenAI and Gemini report cache reads inside the input count;
 *   Anthropic and Bedrock Converse report only the tokens after the last cache breakpoint.
 * - reasoningSeparateFromOutput: Gemini's candidatesTokenCount excludes thoughtsTokenCount, which is
 *   billed at the output rate; OpenAI's completion tokens already include reasoning.
 * Cache writes: `cache_write_tokens` is the total written (Anthropic's cache_creation_input_tokens) and
 * `cache_write_1h_tokens` the part with a 1-hour TTL; the rest is the 5-minute write.
 */
export interface ProviderSemantics {
  inputIncludesCacheRead: boolean;
  reasoningSeparateFromOutput: boolean;
}

export const PROVIDERS: Record<string, ProviderSemantics> = {
  openai: { inputIncludesCacheRead: true, reasoningSeparateFromOutput: false },
  azure_openai: { inputIncludesCacheRead: true, reasoningSeparateFromOutput: false },
  anthropic: { inputIncludesCacheRead: false, reasoningSeparateFromOutput: false },
  bedrock: { inputIncludesCacheRead: false, reasoningSeparateFromOutput: false },
  google: { inputIncludesCacheRead: true, reasoningSeparateFromOutput: true },
  vertex_ai: { inputIncludesCacheRead: true, reasoningSeparateFromOutput: true },
  mistral: { inputIncludesCacheRead: true, reasoningSeparateFromOutput: false },
  deepseek: { inputIncludesCacheRead: true, reasoningSeparateFromOutput: false },
  xai: { inputIncludesCacheRead: true, reasoningSeparateFromOutput: false },
  groq: { inputIncludesCacheRead: true, reasoningSeparateFromOutput: false },
};

/** Aliases producers use (OpenTelemetry names, SDK names) mapped to the canonical provider id. */
const ALIASES: Record<string, string> = {
  'azure.ai.openai': 'azure_openai',
  azure: 'azure_openai',
  'aws.bedrock': 'bedrock',
  'gcp.gemini': 'google',
  gemini: 'google',
  'gcp.vertex_ai': 'vertex_ai',
  vertex: 'vertex_ai',
  mistral_ai: 'mistral',
};

export function canonicalProvider(provider: string): string | undefined {
  const id = provider.trim().toLowerCase();
  const canonical = ALIASES[id] ?? id;
  return canonical in PROVIDERS ? canonical : undefined;
}

/** Converts the provider's usage into disjoint billable buckets, or rejects counts that cannot be true. */
export function normaliseUsage(provider: string, usage: RawUsage): Outcome<BillableBuckets> {
  const semantics = PROVIDERS[provider];
  if (!semantics) return reject('UNKNOWN_PROVIDER', 'provider', `unknown provider "${provider}"`);
  const cacheRead = usage.cached_input_tokens ?? 0;
  const cacheWriteTotal = usage.cache_write_tokens ?? 0;
  const cacheWrite1h = usage.cache_write_1h_tokens ?? 0;
  const reasoning = usage.reasoning_tokens ?? 0;
  if (cacheWrite1h > cacheWriteTotal) {
    return reject(
      'INVALID_VALUE',
      'usage.cache_write_1h_tokens',
      `1-hour cache writes (${cacheWrite1h}) exceed all cache writes (${cacheWriteTotal})`,
    );
  }
  let uncachedInput = usage.input_tokens;
  if (semantics.inputIncludesCacheRead) {
    // Silently clamping would hide broken usage: a read larger than the input is refused instead.
    if (cacheRead + cacheWriteTotal > usage.input_tokens) {
      return reject(
        'INVALID_VALUE',
        'usage.cached_input_tokens',
        `${provider} counts cached tokens inside input, but cache reads + writes (${cacheRead + cacheWriteTotal}) exceed input (${usage.input_tokens})`,
      );
    }
    uncachedInput = usage.input_tokens - cacheRead - cacheWriteTotal;
  }
  const output = semantics.reasoningSeparateFromOutput
    ? usage.output_tokens + reasoning
    : usage.output_tokens;
  if (reasoning > output) {
    return reject(
      'INVALID_VALUE',
      'usage.reasoning_tokens',
      `reasoning tokens (${reasoning}) exceed output tokens (${output})`,
    );
  }
  return {
    ok: true,
    value: {
      uncached_input: uncachedInput,
      cache_read: cacheRead,
      cache_write_5m: cacheWriteTotal - cacheWrite1h,
      cache_write_1h: cacheWrite1h,
      output,
      reasoning,
      units: { ...usage.units },
    },
  };
}
