import { createHash } from 'node:crypto';
import type { RawCallEvent } from '@tokentally/contracts';

/**
 * Prompt or completion text, credentials and personal data must never travel further than ingest.
 * Attribute keys (and keys anywhere inside raw_usage_json) that name such content, and values that
 * look like secrets or e-mail addresses, are removed and counted (the count travels as `redactions`;
 * the content never does). Names are matched by their words, whatever the separator or case:
 * `user_prompt`, `gen_ai.prompt.0.content`, `llm.input_messages`, `X-Api-Key`, `userEmail`.
 */
const CONTENT_WORDS = new Set([
  'prompt',
  'prompts',
  'completion',
  'completions',
  'message',
  'messages',
  'content',
  'contents',
  'text',
  'instructions',
  'choices',
  'query',
  'question',
  'answer',
  'transcript',
]);
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'secret',
  'token',
  'bearer',
  'authorization',
  'cookie',
  'credential',
  'credentials',
  'apikey',
  'privatekey',
]);
const PERSONAL_WORDS = new Set(['email', 'phone', 'ssn']);
/** Words that make a name a count or a label about content rather than content: `prompt_tokens`. */
const METADATA_WORDS = new Set(['tokens', 'count', 'length', 'chars', 'version', 'type', 'id', 'ids']);
/** Whole names that are content although their words alone are not listed (`input`, `output`). */
const CONTENT_NAMES = /^(gen_ai\.)?(input|output|response)$/i;

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Names repeat on every call (`release`, `prompt_tokens`): each is judged once per process. */
const verdicts = new Map<string, boolean>();

export function isForbiddenName(name: string): boolean {
  const known = verdicts.get(name);
  if (known !== undefined) return known;
  const verdict = judgeName(name);
  if (verdicts.size < 10_000) verdicts.set(name, verdict);
  return verdict;
}

function judgeName(name: string): boolean {
  if (CONTENT_NAMES.test(name)) return true;
  const parts = words(name);
  // "api key", "private key", "access token" spelt as separate words count as one.
  const joined = parts.map((w, i) => (i > 0 ? `${parts[i - 1]}${w}` : w));
  const all = [...parts, ...joined];
  if (all.some((w) => SECRET_WORDS.has(w) || PERSONAL_WORDS.has(w))) {
    // "token" is a credential, "tokens" a count: `max_tokens` never gets here, `token_count` is kept.
    return !parts.some((w) => w === 'count' || w === 'tokens');
  }
  return parts.some((w) => CONTENT_WORDS.has(w)) && !parts.some((w) => METADATA_WORDS.has(w));
}

const SECRET_VALUE = new RegExp(
  [
    String.raw`\b(sk|rk|pk)[-_](live|test|proj|ant|svcacct|admin)[-_][A-Za-z0-9_-]{8,}`, // OpenAI, Anthropic, Stripe
    String.raw`\bsk-[A-Za-z0-9_-]{16,}`,
    String.raw`\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}`, // GitHub tokens
    String.raw`\bgithub_pat_[A-Za-z0-9_]{20,}`,
    String.raw`\bglpat-[A-Za-z0-9_-]{20}`, // GitLab
    String.raw`\bAKIA[0-9A-Z]{16}\b`, // AWS access key id
    String.raw`\bAIza[0-9A-Za-z_-]{30,}`, // Google API key
    String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}`, // Slack
    String.raw`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.`, // a JWT
    String.raw`Bearer\s+\S{16,}`,
    String.raw`-----BEGIN [A-Z ]*PRIVATE KEY-----`,
    // key=value pairs inside a string: "token=...", "api_key: ...", "password=..."
    String.raw`\b(token|access_token|api[_-]?key|apikey|secret|password|passwd)\s*[=:]\s*\S{6,}`,
  ].join('|'),
  'i',
);
const EMAIL_VALUE = /[^\s@"'<>]+@[^\s@"'<>]+\.[a-z]{2,}/i;

export function isForbiddenValue(value: string): boolean {
  return SECRET_VALUE.test(value) || EMAIL_VALUE.test(value);
}

export interface Redacted {
  event: RawCallEvent;
  redactions: number;
}

/**
 * A credential sent as the api key id (`sk-live-...`) becomes a fingerprint: still one id per key for
 * attribution and coverage, but the key itself is gone (a key has too much entropy to be guessed back).
 */
function keyIdOf(value: string | null): string | null {
  if (value === null || !SECRET_VALUE.test(value)) return value;
  return `sha256:${createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 32)}`;
}

export function redactForbiddenContent(event: RawCallEvent): Redacted {
  let redactions = 0;
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(event.attributes)) {
    if (isForbiddenName(key) || isForbiddenValue(value)) redactions += 1;
    else attributes[key] = value;
  }
  let rawUsageJson = event.raw_usage_json;
  if (rawUsageJson !== null) {
    const cleaned = cleanUsageJson(rawUsageJson);
    redactions += cleaned.removed;
    rawUsageJson = cleaned.json;
  }
  const apiKeyId = keyIdOf(event.api_key_id);
  const serviceAccount = keyIdOf(event.service_account);
  redactions += Number(apiKeyId !== event.api_key_id) + Number(serviceAccount !== event.service_account);
  return redactions === 0
    ? { event, redactions }
    : {
        event: {
          ...event,
          attributes,
          raw_usage_json: rawUsageJson,
          api_key_id: apiKeyId,
          service_account: serviceAccount,
        },
        redactions,
      };
}

function cleanUsageJson(json: string): { json: string | null; removed: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    // Not JSON: it cannot be audited and might hold anything, so it is dropped (and counted).
    return { json: null, removed: 1 };
  }
  let removed = 0;
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node)) {
        if (isForbiddenName(key) || (typeof value === 'string' && isForbiddenValue(value))) removed += 1;
        else out[key] = strip(value);
      }
      return out;
    }
    // A string inside an array (no key to judge it by) is kept only if it looks harmless.
    if (typeof node === 'string' && isForbiddenValue(node)) {
      removed += 1;
      return null;
    }
    return node;
  };
  const cleaned = strip(parsed);
  return removed === 0 ? { json, removed } : { json: JSON.stringify(cleaned), removed };
}
