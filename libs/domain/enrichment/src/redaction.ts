import type { RawCallEvent } from '@tokentally/contracts';

/**
 * Prompt or completion text and credentials must never travel further than the enricher. Attribute
 * keys that name such content, values that look like secrets, and such keys inside raw_usage_json are
 * removed and counted (the count travels as `redactions`; the content never does).
 */
const FORBIDDEN_KEY =
  /^(gen_ai\.)?(prompt|prompts|completion|completions|messages|input\.messages|output\.messages|content|text|system_prompt|system_instructions|response_text|choices|api[_-]?key|authorization|password|passwd|secret|client_secret|access_token|refresh_token|bearer|cookie)$/i;
const SECRET_VALUE =
  /(^|\s)(sk-[A-Za-z0-9_-]{16,}|sk-ant-[A-Za-z0-9_-]{16,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,}|Bearer\s+\S{16,}|xox[abp]-\S{10,})/;

export interface Redacted {
  event: RawCallEvent;
  redactions: number;
}

export function redactForbiddenContent(event: RawCallEvent): Redacted {
  let redactions = 0;
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(event.attributes)) {
    if (FORBIDDEN_KEY.test(key) || SECRET_VALUE.test(value)) redactions += 1;
    else attributes[key] = value;
  }
  let rawUsageJson = event.raw_usage_json;
  if (rawUsageJson !== null) {
    const cleaned = cleanUsageJson(rawUsageJson);
    redactions += cleaned.removed;
    rawUsageJson = cleaned.json;
  }
  return redactions === 0
    ? { event, redactions }
    : { event: { ...event, attributes, raw_usage_json: rawUsageJson }, redactions };
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
        if (FORBIDDEN_KEY.test(key) || (typeof value === 'string' && SECRET_VALUE.test(value))) removed += 1;
        else out[key] = strip(value);
      }
      return out;
    }
    return node;
  };
  const cleaned = strip(parsed);
  return removed === 0 ? { json, removed } : { json: JSON.stringify(cleaned), removed };
}
