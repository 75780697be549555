import type { RawUsage } from '@tokentally/contracts';

/**
 * Turn a provider response's usage object into the raw event's usage fields without the caller knowing
 * each provider's semantics. Field names follow the providers' SDK types (see
 * ../shared/reference/provider-usage.md); counts stay in the provider's own semantics and the enricher
 * makes them disjoint. Missing numbers are treated as absent, never guessed.
 */
type Json = Record<string, unknown>;
const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const obj = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});

function usage(input: number | null, output: number | null, extra: Partial<RawUsage> = {}): RawUsage {
  return {
    input_tokens: input ?? 0,
    output_tokens: output ?? 0,
    cached_input_tokens: null,
    cache_write_tokens: null,
    cache_write_1h_tokens: null,
    reasoning_tokens: null,
    units: {},
    ...extra,
  };
}

/** OpenAI Chat Completions `usage` (also Azure OpenAI): prompt tokens include cached ones. */
export function fromOpenAIChat(raw: unknown): RawUsage {
  const u = obj(raw);
  const prompt = obj(u['prompt_tokens_details']);
  const completion = obj(u['completion_tokens_details']);
  return usage(num(u['prompt_tokens']), num(u['completion_tokens']), {
    cached_input_tokens: num(prompt['cached_tokens']),
    cache_write_tokens: num(prompt['cache_write_tokens']),
    reasoning_tokens: num(completion['reasoning_tokens']),
  });
}

/** OpenAI Responses API `usage`. */
export function fromOpenAIResponses(raw: unknown): RawUsage {
  const u = obj(raw);
  const input = obj(u['input_tokens_details']);
  const output = obj(u['output_tokens_details']);
  return usage(num(u['input_tokens']), num(u['output_tokens']), {
    cached_input_tokens: num(input['cached_tokens']),
    cache_write_tokens: num(input['cache_write_tokens']),
    reasoning_tokens: num(output['reasoning_tokens']),
  });
}

export const fromAzureOpenAI = fromOpenAIChat;

/** Anthropic Messages `usage`: input excludes cache reads and writes; writes split by TTL. */
export function fromAnthropic(raw: unknown): RawUsage {
  const u = obj(raw);
  const creation = obj(u['cache_creation']);
  const write5m = num(creation['ephemeral_5m_input_tokens']);
  const write1h = num(creation['ephemeral_1h_input_tokens']);
  const writeTotal =
    num(u['cache_creation_input_tokens']) ??
    (write5m !== null || write1h !== null ? (write5m ?? 0) + (write1h ?? 0) : null);
  const tools = obj(u['server_tool_use']);
  const units: Record<string, number> = {};
  const searches = num(tools['web_search_requests']);
  if (searches) units['web_search_requests'] = searches;
  const fetches = num(tools['web_fetch_requests']);
  if (fetches) units['web_fetch_requests'] = fetches;
  return usage(num(u['input_tokens']), num(u['output_tokens']), {
    cached_input_tokens: num(u['cache_read_input_tokens']),
    cache_write_tokens: writeTotal,
    cache_write_1h_tokens: write1h,
    units,
  });
}

/** Gemini / Vertex AI `usageMetadata`: prompt includes cached content; thoughts are apart from candidates. */
export function fromGemini(raw: unknown): RawUsage {
  const u = obj(raw);
  const prompt = num(u['promptTokenCount']);
  const toolPrompt = num(u['toolUsePromptTokenCount']);
  return usage(
    prompt === null && toolPrompt === null ? null : (prompt ?? 0) + (toolPrompt ?? 0),
    num(u['candidatesTokenCount']),
    {
      cached_input_tokens: num(u['cachedContentTokenCount']),
      reasoning_tokens: num(u['thoughtsTokenCount']),
    },
  );
}

/** AWS Bedrock Converse `usage`: input excludes cache reads and writes; writes may be split by TTL. */
export function fromBedrockConverse(raw: unknown): RawUsage {
  const u = obj(raw);
  let write1h: number | null = null;
  for (const detail of Array.isArray(u['cacheDetails']) ? (u['cacheDetails'] as unknown[]) : []) {
    const d = obj(detail);
    if (d['ttl'] === '1h') write1h = (write1h ?? 0) + (num(d['inputTokens']) ?? 0);
  }
  return usage(num(u['inputTokens']), num(u['outputTokens']), {
    cached_input_tokens: num(u['cacheReadInputTokens']),
    cache_write_tokens: num(u['cacheWriteInputTokens']),
    cache_write_1h_tokens: write1h,
  });
}
