import {
  ENVIRONMENT_SYMBOLS,
  REQUEST_SOURCE_SYMBOLS,
  type RawCallEvent,
  type RawUsage,
} from '@tokentally/contracts';
import { reject, type Failure, type Outcome } from './rejection';
import { parseTimestamp } from './timestamp';

type Json = Record<string, unknown>;
const camel = (snake: string): string => snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
/** Top-level keys that carry prompt or completion text or credentials: dropped and counted, never sent on. */
const FORBIDDEN_TOP_LEVEL =
  /^(prompt|prompts|completion|completions|messages|input|output|content|response|api_?key|apiKey|authorization|password|secret)$/i;

class FieldError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.rejection.message);
  }
}

function field(source: Json, name: string): unknown {
  return source[name] ?? source[camel(name)];
}

function text(source: Json, name: string, path = name): string | null {
  const value = field(source, name);
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string')
    throw new FieldError(reject('INVALID_VALUE', path, `${path} must be a string, got ${typeof value}`));
  return value;
}

function required(source: Json, name: string): string {
  const value = text(source, name);
  if (value === null) throw new FieldError(reject('MISSING_FIELD', name, `${name} is required`));
  return value;
}

function integer(source: Json, name: string, path: string): number | null {
  const value = field(source, name);
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new FieldError(
      reject('INVALID_VALUE', path, `${path} must be a number, got ${JSON.stringify(value)}`),
    );
  return value;
}

function bool(source: Json, name: string): boolean | null {
  const value = field(source, name);
  if (value === undefined || value === null) return null;
  if (typeof value !== 'boolean')
    throw new FieldError(reject('INVALID_VALUE', name, `${name} must be true or false`));
  return value;
}

function oneOf<T extends string>(
  source: Json,
  name: string,
  symbols: readonly T[],
  isRequired: boolean,
): T | null {
  const value = text(source, name);
  if (value === null) {
    if (isRequired)
      throw new FieldError(reject('MISSING_FIELD', name, `${name} is required (${symbols.join(', ')})`));
    return null;
  }
  if (!(symbols as readonly string[]).includes(value))
    throw new FieldError(
      reject('INVALID_VALUE', name, `${name} "${value}" is not one of ${symbols.join(', ')}`),
    );
  return value as T;
}

function timestamp(source: Json): number {
  const value = field(source, 'occurred_at');
  if (value === undefined || value === null)
    throw new FieldError(reject('MISSING_FIELD', 'occurred_at', 'occurred_at is required'));
  const parsed = parseTimestamp(value);
  if (!parsed.ok)
    throw new FieldError(reject('INVALID_VALUE', 'occurred_at', `occurred_at ${parsed.problem}`));
  return parsed.millis;
}

function stringMap(value: unknown, path: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new FieldError(reject('INVALID_VALUE', path, `${path} must be an object of strings`));
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string')
      throw new FieldError(reject('INVALID_VALUE', `${path}.${key}`, `${path}.${key} must be a string`));
  }
  return value as Record<string, string>;
}

function usage(source: Json): RawUsage {
  const value = field(source, 'usage');
  if (value === undefined || value === null)
    throw new FieldError(reject('MISSING_FIELD', 'usage', 'usage is required'));
  if (typeof value !== 'object' || Array.isArray(value))
    throw new FieldError(reject('INVALID_VALUE', 'usage', 'usage must be an object'));
  const u = value as Json;
  const input = integer(u, 'input_tokens', 'usage.input_tokens');
  const output = integer(u, 'output_tokens', 'usage.output_tokens');
  if (input === null)
    throw new FieldError(reject('MISSING_FIELD', 'usage.input_tokens', 'usage.input_tokens is required'));
  if (output === null)
    throw new FieldError(reject('MISSING_FIELD', 'usage.output_tokens', 'usage.output_tokens is required'));
  const units = field(u, 'units') ?? {};
  if (
    typeof units !== 'object' ||
    units === null ||
    Array.isArray(units) ||
    !Object.values(units).every((n) => typeof n === 'number')
  ) {
    throw new FieldError(reject('INVALID_VALUE', 'usage.units', 'usage.units must be an object of numbers'));
  }
  return {
    input_tokens: input,
    output_tokens: output,
    cached_input_tokens: integer(u, 'cached_input_tokens', 'usage.cached_input_tokens'),
    cache_write_tokens: integer(u, 'cache_write_tokens', 'usage.cache_write_tokens'),
    cache_write_1h_tokens: integer(u, 'cache_write_1h_tokens', 'usage.cache_write_1h_tokens'),
    reasoning_tokens: integer(u, 'reasoning_tokens', 'usage.reasoning_tokens'),
    units: units as Record<string, number>,
  };
}

export interface ParsedRawEvent {
  event: RawCallEvent;
  /** Top-level prompt/completion/credential fields found and dropped. */
  dropped: number;
}

/** A raw call event from JSON (HTTP ingest): snake_case or camelCase names, exact typed errors. */
export function parseRawEventJson(input: unknown): Outcome<ParsedRawEvent> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return reject('INVALID_VALUE', undefined, 'each event must be a JSON object');
  const source = input as Json;
  try {
    const rawUsage = field(source, 'raw_usage_json');
    const event: RawCallEvent = {
      event_id: required(source, 'event_id'),
      trace_id: required(source, 'trace_id'),
      span_id: text(source, 'span_id'),
      parent_span_id: text(source, 'parent_span_id'),
      provider_request_id: text(source, 'provider_request_id'),
      occurred_at: timestamp(source),
      team_id: text(source, 'team_id'),
      user_id: text(source, 'user_id'),
      tenant_id: text(source, 'tenant_id'),
      feature: required(source, 'feature'),
      workflow: text(source, 'workflow'),
      environment: oneOf(source, 'environment', ENVIRONMENT_SYMBOLS, true) ?? 'prod',
      request_source: oneOf(source, 'request_source', REQUEST_SOURCE_SYMBOLS, false),
      api_key_id: text(source, 'api_key_id'),
      service_account: text(source, 'service_account'),
      gateway_id: text(source, 'gateway_id'),
      project_id: text(source, 'project_id'),
      prompt_template_version: text(source, 'prompt_template_version'),
      provider: required(source, 'provider'),
      model: required(source, 'model'),
      response_model: text(source, 'response_model'),
      region: text(source, 'region'),
      service_tier: text(source, 'service_tier'),
      usage: usage(source),
      // The provider's usage object may arrive as an object; it travels as JSON text for audit.
      raw_usage_json:
        rawUsage === undefined || rawUsage === null
          ? null
          : typeof rawUsage === 'string'
            ? rawUsage
            : JSON.stringify(rawUsage),
      attempt: integer(source, 'attempt', 'attempt'),
      is_retry: bool(source, 'is_retry'),
      is_fallback: bool(source, 'is_fallback'),
      status_code: integer(source, 'status_code', 'status_code'),
      latency_ms: integer(source, 'latency_ms', 'latency_ms'),
      streamed: bool(source, 'streamed'),
      attributes: stringMap(field(source, 'attributes'), 'attributes'),
    };
    const dropped = Object.keys(source).filter((key) => FORBIDDEN_TOP_LEVEL.test(key)).length;
    return { ok: true, value: { event, dropped } };
  } catch (error) {
    if (error instanceof FieldError) return error.failure;
    throw error;
  }
}
