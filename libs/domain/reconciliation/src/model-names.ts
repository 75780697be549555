import type { TokenType } from './cost-line';

/**
 * Exports name models their own way: `gpt-4o-2024-08-06`, `Claude4.6Sonnet` (CUR usage types),
 * `Gemini 2.5 Flash` (GCP SKUs), `gpt-4o-mini-0718` (Azure meters). The key compares them with the
 * ledger's model: lower-case letter and digit runs, sorted, without a trailing release date.
 * `claude-sonnet-4-6` and `Claude4.6Sonnet` share the key `4 6 claude sonnet`.
 */
const KEYS = new Map<string, string>();

export function modelKey(model: string): string {
  const known = KEYS.get(model);
  if (known !== undefined) return known;
  let name = model
    .trim()
    .toLowerCase()
    // Bedrock ids: (us.|eu.|global.)anthropic.claude-...-20241022-v1:0
    .replace(/^((us|eu|apac|global)\.)?[a-z]+\.(?=[a-z])/, '');
  for (const suffix of [
    /[-_@ ]?v\d+(:\d+)?$/,
    /[-_@ ]?20\d{2}-?\d{2}-?\d{2}$/,
    /[-_ ](0[1-9]|1[0-2])[0-3]\d$/,
  ])
    name = name.replace(suffix, '');
  const parts = name.match(/[a-z]+|\d+/g) ?? [];
  const key = [...parts].sort().join(' ');
  if (KEYS.size < 10_000) KEYS.set(model, key);
  return key;
}

/** What a meter, SKU or usage-type text says about token type, tier, context and inference scope. */
export interface MeterWords {
  model: string;
  tokenType: TokenType | null;
  serviceTier: string | null;
  longContext: boolean;
  inferenceScope: string | null;
}

const TOKEN_WORDS: [RegExp, TokenType][] = [
  [/cache[- _]?read|cached[- _]?(input|inp)?|cchd|cache[- _]?hit/i, 'cache_read'],
  [/cache[- _]?write[- _]?(1h|1[- _]?hour)|cache[- _]?creation[- _]?1h/i, 'cache_write_1h'],
  [/cache[- _]?write[- _]?(5m|5[- _]?min)|cache[- _]?creation[- _]?5m/i, 'cache_write_5m'],
  [/cache[- _]?(write|creation|storage)/i, 'cache_write'],
  [/\b(input|inp|prompt)\b|-input-|-inp-|[-_ ]inp\b|\binput\b/i, 'input'],
  [/\b(output|outp|out|completion)\b|-output-|[-_ ]outp?\b/i, 'output'],
];

const NOISE =
  /\b(ga|text|image|audio|video|tokens?|token[- ]count|characters?|predictions?|count|inp|input|outp|output|out|cached|cache|read|write|creation|storage|hit|batch|flex|priority|provisioned|glbl|global|regnl|regional|dzone|dz|datazone|data[- ]zone|cross[- ]?region|long[- ]?context|lctx|1h|5m|online|\d+k\+?|>\d+k)\b/gi;

/**
 * Reads model, token type and price context out of a meter or SKU text. The model is what is left
 * once the direction, tier, scope and unit words are removed: "gpt-4o-mini-0718-Inp-glbl Tokens"
 * gives gpt-4o-mini-0718, input, global.
 */
const WORDS = new Map<string, MeterWords>();

export function meterWords(text: string): MeterWords {
  const known = WORDS.get(text);
  if (known) return { ...known };
  const words = readMeter(text);
  if (WORDS.size < 10_000) WORDS.set(text, words);
  return { ...words };
}

function readMeter(text: string): MeterWords {
  const tokenType = TOKEN_WORDS.find(([pattern]) => pattern.test(text))?.[1] ?? null;
  const tier = /\bbatch\b|-batch-|batch[- ]/i.test(text)
    ? 'batch'
    : /\bflex\b/i.test(text)
      ? 'flex'
      : /\bpriority\b/i.test(text)
        ? 'priority'
        : /\bprovisioned\b/i.test(text)
          ? 'provisioned'
          : null;
  const longContext = /long[- ]?context|lctx|>\s?200k|200k[- ]1m|\b(above|over)[- ]200k/i.test(text);
  const inferenceScope = /cross[- ]?region/i.test(text)
    ? 'cross_region'
    : /\bglbl\b|[-_ ]glbl|\bglobal\b/i.test(text)
      ? 'global'
      : /\bdz\b|[-_ ]dz\b|dzone|data[- ]?zone/i.test(text)
        ? 'data_zone'
        : /\bregnl\b|[-_ ]regnl|\bregional\b/i.test(text)
          ? 'regional'
          : null;
  const model = text
    .replace(/\s+-\s+.*$/, '')
    .replace(/-?(input|output)-tokens?$|-?cache-(read|write)-input-token-count$/i, '')
    .replace(NOISE, ' ')
    .replace(/[-_ ]{2,}/g, '-')
    .replace(/^[-_ ]+|[-_ ]+$/g, '')
    .trim();
  return { model, tokenType, serviceTier: tier, longContext, inferenceScope };
}
