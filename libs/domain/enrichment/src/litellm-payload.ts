import { ENVIRONMENT_SYMBOLS, type Environment, type RawCallEvent } from '@tokentally/contracts';
import { litellmRegion, litellmServiceTier, litellmUsage } from './litellm-usage';
import { canonicalProvider } from './provider-semantics';
import { reject, type Outcome } from './rejection';

type Json = Record<string, unknown>;
const obj = (value: unknown): Json =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/**
 * LiteLLM's StandardLoggingPayload (what its generic logging callback posts) as a raw call event.
 * Ownership: `metadata.user_api_key_team_id` (team), `user_api_key_user_id` or `end_user` (user),
 * `user_api_key_hash` (api key id: a hash, never the key); feature, workflow, environment, tenant and
 * region from `metadata.spend_logs_metadata` or `requester_metadata` (set them per request in LiteLLM).
 * Usage, cache writes (with their 5m/1h split), service tier and region: see litellm-usage.ts.
 * `messages` and the response content are never read.
 */
export function rawEventFromLiteLLM(payload: unknown): Outcome<RawCallEvent> {
  const p = obj(payload);
  const id = str(p['id']);
  if (!id) return reject('MISSING_FIELD', 'id', 'a LiteLLM payload needs its id');
  const metadata = obj(p['metadata']);
  const tags = { ...obj(metadata['requester_metadata']), ...obj(metadata['spend_logs_metadata']) };
  const modelName = str(p['model']) ?? '';
  const [prefix, rest] = modelName.includes('/')
    ? [modelName.slice(0, modelName.indexOf('/')), modelName.slice(modelName.indexOf('/') + 1)]
    : [null, modelName];
  const providerName =
    str(p['custom_llm_provider']) ??
    str(obj(obj(p['model_map_information'])['model_map_value'])['litellm_provider']) ??
    prefix ??
    '';
  const provider = canonicalProvider(providerName) ?? providerName;
  const environment = str(tags['environment']) ?? 'prod';
  if (!(ENVIRONMENT_SYMBOLS as readonly string[]).includes(environment)) {
    return reject(
      'INVALID_VALUE',
      'environment',
      `environment "${environment}" is not one of ${ENVIRONMENT_SYMBOLS.join(', ')}`,
    );
  }
  const feature = str(tags['feature']);
  if (!feature)
    return reject(
      'MISSING_FIELD',
      'feature',
      'set metadata.spend_logs_metadata.feature on the LiteLLM request',
    );
  const failed = p['status'] === 'failure';
  const usage = litellmUsage(p, provider, failed);
  if (!usage.ok) return usage;
  const end = num(p['endTime']);
  const start = num(p['startTime']);
  const error = obj(p['error_information']);
  return {
    ok: true,
    value: {
      event_id: `litellm-${id}`,
      trace_id: str(p['trace_id']) ?? id,
      span_id: null,
      parent_span_id: null,
      provider_request_id: id,
      occurred_at: end === null ? NaN : Math.round(end * 1000),
      team_id: str(metadata['user_api_key_team_id']),
      user_id: str(metadata['user_api_key_user_id']) ?? str(p['end_user']),
      tenant_id: str(tags['tenant_id']),
      feature,
      workflow: str(tags['workflow']),
      environment: environment as Environment,
      request_source: null,
      api_key_id: str(metadata['user_api_key_hash']),
      service_account: null,
      gateway_id: 'litellm',
      project_id: str(metadata['user_api_key_org_id']),
      prompt_template_version: str(tags['prompt_template_version']),
      provider,
      model: rest,
      response_model: str(obj(p['response'])['model']),
      region: str(tags['region']) ?? litellmRegion(p),
      service_tier: litellmServiceTier(p),
      usage: usage.value.usage,
      raw_usage_json: usage.value.rawJson,
      attempt: null,
      is_retry: null,
      is_fallback: null,
      status_code: failed ? Number(str(error['error_code'])) || 500 : 200,
      latency_ms: end !== null && start !== null && end >= start ? Math.round((end - start) * 1000) : null,
      streamed: typeof p['stream'] === 'boolean' ? p['stream'] : null,
      attributes: {},
    },
  };
}
