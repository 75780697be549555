import type { RawCallEvent } from '@tokentally/contracts';
import { canonicalProvider, normaliseUsage } from './provider-semantics';
import { reject, type Failure, type Outcome } from './rejection';

/** Bounds that separate a real call from broken or hostile input. */
export const LIMITS = {
  idLength: 128,
  nameLength: 256,
  tokensPerBucket: 100_000_000, // 1e8: far above any context window; 1e12 is a unit bug, not a call
  futureSkewMs: 5 * 60_000,
  oldestOccurredAt: Date.UTC(2020, 0, 1),
  attributeCount: 32,
  attributeKeyLength: 64,
  attributeValueLength: 512,
  rawUsageJsonLength: 16_384,
  latencyMs: 3_600_000,
} as const;

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

function checkText(value: string | null, field: string, max: number, required: boolean): Failure | undefined {
  if (value === null || value === undefined) {
    return required ? reject('MISSING_FIELD', field, `${field} is required`) : undefined;
  }
  if (required && value.trim() === '') return reject('MISSING_FIELD', field, `${field} is empty`);
  if (value.length > max)
    return reject('INVALID_VALUE', field, `${field} is ${value.length} characters, more than ${max}`);
  if (CONTROL.test(value)) return reject('INVALID_VALUE', field, `${field} contains control characters`);
  return undefined;
}

function checkCount(
  value: number | null,
  field: string,
  max: number = LIMITS.tokensPerBucket,
): Failure | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value))
    return reject('INVALID_VALUE', field, `${field} must be a whole number, got ${value}`);
  if (value < 0) return reject('INVALID_VALUE', field, `${field} is negative (${value})`);
  if (value > max)
    return reject('INVALID_VALUE', field, `${field} is ${value}, above the plausible maximum ${max}`);
  return undefined;
}

/**
 * Validates a raw call event field by field: the first problem found is returned with its reason code.
 * `now` is passed in so the rule "not in the future" is testable and deterministic.
 */
export function validateRawEvent(event: RawCallEvent, now: number): Outcome<RawCallEvent> {
  const problem =
    checkText(event.event_id, 'event_id', LIMITS.idLength, true) ??
    checkText(event.trace_id, 'trace_id', LIMITS.idLength, true) ??
    checkText(event.span_id, 'span_id', LIMITS.idLength, false) ??
    checkText(event.parent_span_id, 'parent_span_id', LIMITS.idLength, false) ??
    checkText(event.provider_request_id, 'provider_request_id', LIMITS.nameLength, false) ??
    checkText(event.team_id, 'team_id', LIMITS.idLength, false) ??
    checkText(event.user_id, 'user_id', LIMITS.nameLength, false) ??
    checkText(event.tenant_id, 'tenant_id', LIMITS.nameLength, false) ??
    checkText(event.feature, 'feature', LIMITS.idLength, true) ??
    checkText(event.workflow, 'workflow', LIMITS.idLength, false) ??
    checkText(event.api_key_id, 'api_key_id', LIMITS.idLength, false) ??
    checkText(event.service_account, 'service_account', LIMITS.nameLength, false) ??
    checkText(event.gateway_id, 'gateway_id', LIMITS.idLength, false) ??
    checkText(event.project_id, 'project_id', LIMITS.idLength, false) ??
    checkText(event.prompt_template_version, 'prompt_template_version', LIMITS.idLength, false) ??
    checkText(event.provider, 'provider', LIMITS.idLength, true) ??
    checkText(event.model, 'model', LIMITS.nameLength, true) ??
    checkText(event.response_model, 'response_model', LIMITS.nameLength, false) ??
    checkText(event.region, 'region', LIMITS.idLength, false) ??
    checkText(event.service_tier, 'service_tier', LIMITS.idLength, false) ??
    checkOccurredAt(event.occurred_at, now) ??
    checkCount(event.usage.input_tokens, 'usage.input_tokens') ??
    checkCount(event.usage.output_tokens, 'usage.output_tokens') ??
    checkCount(event.usage.cached_input_tokens, 'usage.cached_input_tokens') ??
    checkCount(event.usage.cache_write_tokens, 'usage.cache_write_tokens') ??
    checkCount(event.usage.cache_write_1h_tokens, 'usage.cache_write_1h_tokens') ??
    checkCount(event.usage.reasoning_tokens, 'usage.reasoning_tokens') ??
    checkUnits(event.usage.units) ??
    checkCount(event.attempt, 'attempt', 100) ??
    (event.attempt === 0 ? reject('INVALID_VALUE', 'attempt', 'attempt counts from 1') : undefined) ??
    checkCount(event.latency_ms, 'latency_ms', LIMITS.latencyMs) ??
    checkStatus(event.status_code) ??
    checkAttributes(event.attributes) ??
    (event.raw_usage_json !== null && event.raw_usage_json.length > LIMITS.rawUsageJsonLength
      ? reject(
          'INVALID_VALUE',
          'raw_usage_json',
          `raw_usage_json is larger than ${LIMITS.rawUsageJsonLength} characters`,
        )
      : undefined) ??
    checkProviderUsage(event);
  return problem ?? { ok: true, value: event };
}

/**
 * Counts that contradict each other under the provider's semantics (cache reads above an inclusive
 * input, reasoning above output, 1-hour writes above all writes) are refused here, so HTTP ingest
 * answers them synchronously with the field instead of accepting them and quarantining them later.
 */
function checkProviderUsage(event: RawCallEvent): Failure | undefined {
  const provider = canonicalProvider(event.provider);
  if (provider === undefined)
    return reject('UNKNOWN_PROVIDER', 'provider', `unknown provider "${event.provider}"`);
  const buckets = normaliseUsage(provider, event.usage);
  return buckets.ok ? undefined : buckets;
}

function checkOccurredAt(occurredAt: number, now: number): Failure | undefined {
  if (!Number.isFinite(occurredAt))
    return reject('INVALID_VALUE', 'occurred_at', 'occurred_at is not a timestamp');
  // A fraction cannot be written as an Avro long: refused here, per event, instead of failing the batch.
  if (!Number.isSafeInteger(occurredAt))
    return reject('INVALID_VALUE', 'occurred_at', `occurred_at ${occurredAt} is not whole milliseconds`);
  if (occurredAt < LIMITS.oldestOccurredAt) {
    return reject(
      'INVALID_VALUE',
      'occurred_at',
      `occurred_at ${new Date(occurredAt).toISOString()} is before 2020: not epoch milliseconds?`,
    );
  }
  if (occurredAt > now + LIMITS.futureSkewMs) {
    return reject(
      'INVALID_VALUE',
      'occurred_at',
      `occurred_at ${new Date(occurredAt).toISOString()} is in the future`,
    );
  }
  return undefined;
}

function checkUnits(units: Record<string, number>): Failure | undefined {
  for (const [name, count] of Object.entries(units)) {
    const problem =
      checkText(name, 'usage.units', LIMITS.attributeKeyLength, true) ??
      checkCount(count, `usage.units.${name}`, 1_000_000);
    if (problem) return problem;
  }
  return undefined;
}

function checkStatus(status: number | null): Failure | undefined {
  if (status === null) return undefined;
  return Number.isInteger(status) && status >= 100 && status <= 599
    ? undefined
    : reject('INVALID_VALUE', 'status_code', `status_code ${status} is not an HTTP status`);
}

function checkAttributes(attributes: Record<string, string>): Failure | undefined {
  const entries = Object.entries(attributes);
  if (entries.length > LIMITS.attributeCount) {
    return reject(
      'INVALID_VALUE',
      'attributes',
      `${entries.length} attributes, more than ${LIMITS.attributeCount}`,
    );
  }
  for (const [key, value] of entries) {
    const problem =
      checkText(key, 'attributes', LIMITS.attributeKeyLength, true) ??
      checkText(
        value,
        `attributes.${key.slice(0, LIMITS.attributeKeyLength)}`,
        LIMITS.attributeValueLength,
        false,
      );
    if (problem) return problem;
  }
  return undefined;
}
