import type { EnrichedCallEvent, RawCallEvent } from '@tokentally/contracts';
import { resolveOwner, type Enforcement, type OrgSnapshot } from './owner-resolution';
import { canonicalProvider, normaliseUsage } from './provider-semantics';
import { pseudonymRef, type PseudonymKey } from './pseudonymise';
import { redactForbiddenContent } from './redaction';
import type { Outcome } from './rejection';
import { validateRawEvent } from './validation';

export interface EnrichmentContext {
  now: number;
  org: OrgSnapshot;
  enforcement: Enforcement;
  pseudonymKey: PseudonymKey;
}

export interface Enriched {
  event: EnrichedCallEvent;
  redactions: number;
}

/**
 * One raw call in, one enriched call or one rejection out. Forbidden content is removed first (so a
 * prompt in an attribute is redacted, not reported as an oversize tag), then the envelope is
 * validated, the owner resolved, usage normalised into disjoint buckets and ids pseudonymised.
 */
export function enrichCall(raw: RawCallEvent, context: EnrichmentContext): Outcome<Enriched> {
  const { event, redactions } = redactForbiddenContent(raw);
  const valid = validateRawEvent(event, context.now);
  if (!valid.ok) return valid;
  const provider = canonicalProvider(event.provider) ?? event.provider;
  const owner = resolveOwner(event, context.org, context.enforcement);
  if (!owner.ok) return owner;
  const buckets = normaliseUsage(provider, event.usage);
  if (!buckets.ok) return buckets;
  return {
    ok: true,
    value: {
      redactions,
      event: {
        event_id: event.event_id,
        trace_id: event.trace_id,
        span_id: event.span_id,
        parent_span_id: event.parent_span_id,
        provider_request_id: event.provider_request_id,
        occurred_at: event.occurred_at,
        team_id: owner.value.teamId,
        user_ref: pseudonymRef(event.user_id, context.pseudonymKey),
        tenant_ref: pseudonymRef(event.tenant_id, context.pseudonymKey),
        feature: event.feature,
        workflow: event.workflow,
        environment: event.environment,
        owner_source: owner.value.source,
        pseudonym_key_id: event.user_id || event.tenant_id ? context.pseudonymKey.id : null,
        request_source: event.request_source,
        api_key_id: event.api_key_id,
        service_account: event.service_account,
        gateway_id: event.gateway_id,
        project_id: event.project_id,
        prompt_template_version: event.prompt_template_version,
        provider,
        model: event.model,
        response_model: event.response_model,
        region: event.region,
        service_tier: event.service_tier,
        buckets: buckets.value,
        raw_usage_json: event.raw_usage_json,
        attempt: event.attempt,
        is_retry: event.is_retry,
        is_fallback: event.is_fallback,
        status_code: event.status_code,
        latency_ms: event.latency_ms,
        streamed: event.streamed,
        attributes: event.attributes,
        redactions,
        enriched_at: context.now,
      },
    },
  };
}
