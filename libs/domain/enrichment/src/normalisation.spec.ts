import type { BillableBuckets } from '@tokentally/contracts';
import { normaliseUsage } from './provider-semantics';
import {
  fromAnthropic,
  fromAzureOpenAI,
  fromBedrockConverse,
  fromGemini,
  fromOpenAIChat,
  fromOpenAIResponses,
} from './provider-usage';

/** Golden cases: a provider's usage payload as returned, and the disjoint buckets it must become. */
const GOLDEN: {
  name: string;
  provider: string;
  usage: ReturnType<typeof fromOpenAIChat>;
  buckets: BillableBuckets;
}[] = [
  {
    name: 'OpenAI chat: cached tokens are inside prompt_tokens, reasoning inside completion_tokens',
    provider: 'openai',
    usage: fromOpenAIChat({
      prompt_tokens: 2006,
      completion_tokens: 300,
      prompt_tokens_details: { cached_tokens: 1920 },
      completion_tokens_details: { reasoning_tokens: 192 },
    }),
    // uncached = 2006 - 1920 = 86; output keeps reasoning (300), reasoning is the 192 subset
    buckets: {
      uncached_input: 86,
      cache_read: 1920,
      cache_write_5m: 0,
      cache_write_1h: 0,
      output: 300,
      reasoning: 192,
      units: {},
    },
  },
  {
    name: 'OpenAI Responses: same semantics under input/output names',
    provider: 'openai',
    usage: fromOpenAIResponses({
      input_tokens: 5000,
      output_tokens: 1200,
      input_tokens_details: { cached_tokens: 4096 },
      output_tokens_details: { reasoning_tokens: 1024 },
    }),
    buckets: {
      uncached_input: 904,
      cache_read: 4096,
      cache_write_5m: 0,
      cache_write_1h: 0,
      output: 1200,
      reasoning: 1024,
      units: {},
    },
  },
  {
    name: 'Azure OpenAI: as OpenAI chat, no cache',
    provider: 'azure_openai',
    usage: fromAzureOpenAI({ prompt_tokens: 120, completion_tokens: 40 }),
    buckets: {
      uncached_input: 120,
      cache_read: 0,
      cache_write_5m: 0,
      cache_write_1h: 0,
      output: 40,
      reasoning: 0,
      units: {},
    },
  },
  {
    name: 'Anthropic: input excludes cache; 5m and 1h writes split; web searches priced apart',
    provider: 'anthropic',
    usage: fromAnthropic({
      input_tokens: 3,
      cache_read_input_tokens: 20000,
      cache_creation_input_tokens: 12304,
      cache_creation: { ephemeral_5m_input_tokens: 10304, ephemeral_1h_input_tokens: 2000 },
      output_tokens: 550,
      server_tool_use: { web_search_requests: 2 },
    }),
    buckets: {
      uncached_input: 3,
      cache_read: 20000,
      cache_write_5m: 10304,
      cache_write_1h: 2000,
      output: 550,
      reasoning: 0,
      units: { web_search_requests: 2 },
    },
  },
  {
    name: 'Anthropic without the cache_creation breakdown: all writes are 5-minute',
    provider: 'anthropic',
    usage: fromAnthropic({ input_tokens: 10, cache_creation_input_tokens: 500, output_tokens: 5 }),
    buckets: {
      uncached_input: 10,
      cache_read: 0,
      cache_write_5m: 500,
      cache_write_1h: 0,
      output: 5,
      reasoning: 0,
      units: {},
    },
  },
  {
    name: 'Gemini: cached content inside prompt; thoughts are NOT inside candidates and bill as output',
    provider: 'google',
    usage: fromGemini({
      promptTokenCount: 10000,
      cachedContentTokenCount: 8000,
      candidatesTokenCount: 400,
      thoughtsTokenCount: 1600,
    }),
    // uncached = 10000 - 8000 = 2000; output = 400 + 1600 = 2000, of which 1600 reasoning
    buckets: {
      uncached_input: 2000,
      cache_read: 8000,
      cache_write_5m: 0,
      cache_write_1h: 0,
      output: 2000,
      reasoning: 1600,
      units: {},
    },
  },
  {
    name: 'Vertex AI: tool-use prompt tokens count as input',
    provider: 'vertex_ai',
    usage: fromGemini({ promptTokenCount: 900, toolUsePromptTokenCount: 100, candidatesTokenCount: 50 }),
    buckets: {
      uncached_input: 1000,
      cache_read: 0,
      cache_write_5m: 0,
      cache_write_1h: 0,
      output: 50,
      reasoning: 0,
      units: {},
    },
  },
  {
    name: 'Bedrock Converse: input excludes cache; writes split by ttl',
    provider: 'bedrock',
    usage: fromBedrockConverse({
      inputTokens: 250,
      outputTokens: 80,
      cacheReadInputTokens: 4000,
      cacheWriteInputTokens: 3000,
      cacheDetails: [
        { ttl: '5m', inputTokens: 1000 },
        { ttl: '1h', inputTokens: 2000 },
      ],
    }),
    buckets: {
      uncached_input: 250,
      cache_read: 4000,
      cache_write_5m: 1000,
      cache_write_1h: 2000,
      output: 80,
      reasoning: 0,
      units: {},
    },
  },
];

describe('usage normalisation into disjoint billable buckets (golden)', () => {
  it.each(GOLDEN.map((g) => [g.name, g] as const))('%s', (_name, golden) => {
    expect(normaliseUsage(golden.provider, golden.usage)).toEqual({ ok: true, value: golden.buckets });
  });

  it('every input token lands in exactly one bucket', () => {
    for (const golden of GOLDEN) {
      const { uncached_input, cache_read, cache_write_5m, cache_write_1h } = golden.buckets;
      const inputSeen = uncached_input + cache_read + cache_write_5m + cache_write_1h;
      const reported =
        golden.usage.input_tokens +
        (['anthropic', 'bedrock'].includes(golden.provider)
          ? (golden.usage.cached_input_tokens ?? 0) + (golden.usage.cache_write_tokens ?? 0)
          : 0);
      expect({ name: golden.name, inputSeen }).toEqual({ name: golden.name, inputSeen: reported });
    }
  });

  it('refuses cache reads larger than an inclusive input instead of clamping', () => {
    const result = normaliseUsage(
      'openai',
      fromOpenAIChat({
        prompt_tokens: 100,
        completion_tokens: 1,
        prompt_tokens_details: { cached_tokens: 500 },
      }),
    );
    expect(result).toMatchObject({
      ok: false,
      rejection: { reason: 'INVALID_VALUE', field: 'usage.cached_input_tokens' },
    });
  });

  it('refuses 1-hour writes larger than all writes, and reasoning larger than output', () => {
    expect(
      normaliseUsage('anthropic', {
        ...fromAnthropic({ input_tokens: 1, output_tokens: 1 }),
        cache_write_tokens: 5,
        cache_write_1h_tokens: 9,
      }),
    ).toMatchObject({
      ok: false,
      rejection: { field: 'usage.cache_write_1h_tokens' },
    });
    expect(
      normaliseUsage(
        'openai',
        fromOpenAIChat({
          prompt_tokens: 1,
          completion_tokens: 10,
          completion_tokens_details: { reasoning_tokens: 11 },
        }),
      ),
    ).toMatchObject({
      ok: false,
      rejection: { field: 'usage.reasoning_tokens' },
    });
  });

  it('rejects an unknown provider', () => {
    expect(normaliseUsage('acme', fromOpenAIChat({}))).toMatchObject({
      ok: false,
      rejection: { reason: 'UNKNOWN_PROVIDER' },
    });
  });
});
