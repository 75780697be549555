import type { RawUsage } from '@tokentally/contracts';
import { PROVIDERS } from './provider-semantics';
import { reject, type Failure, type Outcome } from './rejection';

/**
 * Usage of a LiteLLM StandardLoggingPayload, read as LiteLLM writes it (litellm/types/utils.py `Usage`,
 * litellm/llms/anthropic/chat/transformation.py `calculate_usage`, checked against its translation
 * tests). `response.usage` is OpenAI-shaped for every provider:
 * - `prompt_tokens` includes cache reads AND cache writes (LiteLLM adds Anthropic's
 *   `cache_read_input_tokens` and `cache_creation_input_tokens` to `input_tokens`);
 * - reads: `prompt_tokens_details.cached_tokens` (also top-level `cache_read_input_tokens`);
 * - writes: top-level `cache_creation_input_tokens`, else `prompt_tokens_details.cache_creation_tokens`,
 *   split by TTL in `prompt_tokens_details.cache_creation_token_details.ephemeral_{5m,1h}_input_tokens`;
 * - reasoning: `completion_tokens_details.reasoning_tokens` (inside `completion_tokens`);
 * - `server_tool_use.web_search_requests`, `service_tier`, `inference_geo` as Anthropic reports them.
 * Without `response.usage` the top-level `prompt_tokens` / `completion_tokens` are used. A successful
 * call without any usage, or with counts that are not numbers, is refused: it would be booked at $0.
 */
type Json = Record<string, unknown>;
const obj = (value: unknown): Json =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const isObj = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

class CountError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.rejection.message);
  }
}

function count(source: Json, name: string, path: string): number | null {
  const value = source[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new CountError(
      reject('INVALID_VALUE', path, `${path} must be a number, got ${JSON.stringify(value)}`),
    );
  return value;
}

export interface LiteLLMUsage {
  usage: RawUsage;
  rawJson: string | null;
}

export function litellmUsage(payload: Json, provider: string, failed: boolean): Outcome<LiteLLMUsage> {
  try {
    return { ok: true, value: readUsage(payload, provider, failed) };
  } catch (error) {
    if (error instanceof CountError) return error.failure;
    throw error;
  }
}

function readUsage(p: Json, provider: string, failed: boolean): LiteLLMUsage {
  const responseUsage = obj(p['response'])['usage'];
  const u = isObj(responseUsage) ? responseUsage : null;
  const at = (path: string): string => `response.usage.${path}`;
  let prompt: number | null;
  let completion: number | null;
  let cacheRead: number | null = null;
  let cacheWrite: number | null = null;
  let cacheWrite1h: number | null = null;
  let reasoning: number | null = null;
  let webSearches: number | null = null;
  if (u) {
    const details = obj(u['prompt_tokens_details']);
    const writes = obj(details['cache_creation_token_details']);
    prompt = count(u, 'prompt_tokens', at('prompt_tokens'));
    completion = count(u, 'completion_tokens', at('completion_tokens'));
    if (prompt === null || completion === null)
      throw new CountError(
        reject(
          'MISSING_FIELD',
          at(prompt === null ? 'prompt_tokens' : 'completion_tokens'),
          'LiteLLM usage needs prompt_tokens and completion_tokens',
        ),
      );
    cacheRead =
      count(details, 'cached_tokens', at('prompt_tokens_details.cached_tokens')) ??
      count(u, 'cache_read_input_tokens', at('cache_read_input_tokens'));
    const w5 = count(
      writes,
      'ephemeral_5m_input_tokens',
      at('prompt_tokens_details.cache_creation_token_details.ephemeral_5m_input_tokens'),
    );
    const w1 = count(
      writes,
      'ephemeral_1h_input_tokens',
      at('prompt_tokens_details.cache_creation_token_details.ephemeral_1h_input_tokens'),
    );
    cacheWrite =
      count(u, 'cache_creation_input_tokens', at('cache_creation_input_tokens')) ??
      count(details, 'cache_creation_tokens', at('prompt_tokens_details.cache_creation_tokens')) ??
      count(details, 'cache_write_tokens', at('prompt_tokens_details.cache_write_tokens')) ??
      (w5 === null && w1 === null ? null : (w5 ?? 0) + (w1 ?? 0));
    cacheWrite1h = w1;
    reasoning = count(
      obj(u['completion_tokens_details']),
      'reasoning_tokens',
      at('completion_tokens_details.reasoning_tokens'),
    );
    webSearches = count(
      obj(u['server_tool_use']),
      'web_search_requests',
      at('server_tool_use.web_search_requests'),
    );
  } else {
    prompt = count(p, 'prompt_tokens', 'prompt_tokens');
    completion = count(p, 'completion_tokens', 'completion_tokens');
    const none = (prompt ?? 0) === 0 && (completion ?? 0) === 0;
    // A failed call or a hit of LiteLLM's own cache costs nothing; any other call without usage would.
    if (none && !failed && p['cache_hit'] !== true)
      throw new CountError(
        reject(
          'MISSING_FIELD',
          'response.usage',
          'the LiteLLM payload carries no token usage: the call cannot be priced (is usage logging on?)',
        ),
      );
  }
  const semantics = PROVIDERS[provider];
  let input = prompt ?? 0;
  // LiteLLM's prompt_tokens include cache reads and writes: providers that count input without them
  // (Anthropic, Bedrock) get the disjoint count back; a negative result is refused by validation.
  if (semantics && !semantics.inputIncludesCacheRead) input -= (cacheRead ?? 0) + (cacheWrite ?? 0);
  let output = completion ?? 0;
  if (semantics?.reasoningSeparateFromOutput) output -= reasoning ?? 0;
  return {
    usage: {
      input_tokens: input,
      output_tokens: output,
      cached_input_tokens: cacheRead,
      cache_write_tokens: cacheWrite,
      cache_write_1h_tokens: cacheWrite1h,
      reasoning_tokens: reasoning,
      units: webSearches ? { web_search_requests: webSearches } : {},
    },
    rawJson: u ? JSON.stringify(u) : null,
  };
}

/** The tier the provider reports (Anthropic: usage.service_tier; OpenAI: response.service_tier). */
export function litellmServiceTier(p: Json): string | null {
  const response = obj(p['response']);
  const tier =
    str(obj(response['usage'])['service_tier']) ??
    str(response['service_tier']) ??
    str(obj(p['model_parameters'])['service_tier']);
  if (tier === null) return null;
  const lower = tier.toLowerCase();
  if (lower === 'auto') return null; // a request for "auto" says nothing about the tier served
  return lower === 'standard' ? 'default' : lower;
}

const BEDROCK_HOST = /bedrock-runtime(?:-fips)?\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com/;
const VERTEX_HOST = /\/\/([a-z]+-[a-z]+\d+)-aiplatform\.googleapis\.com/;

/**
 * Region from the deployment's api_base (Bedrock and Vertex AI hosts name it), else Anthropic's
 * `inference_geo` when the call was pinned to one (not "global" / "not_available").
 */
export function litellmRegion(p: Json): string | null {
  const base = str(p['api_base']) ?? str(obj(p['hidden_params'])['api_base']) ?? '';
  const fromHost = BEDROCK_HOST.exec(base)?.[1] ?? VERTEX_HOST.exec(base)?.[1];
  if (fromHost) return fromHost;
  const geo = str(obj(obj(p['response'])['usage'])['inference_geo']);
  return geo && geo !== 'global' && geo !== 'not_available' ? geo : null;
}
