// Generated from schemas/*.avsc by tools/schemas/generate-types.ts: do not edit, run `npm run schemas:gen`.
// Sources: alert-event.avsc, chargeback-line.avsc, enriched-call-event.avsc, priced-call-event.avsc, provider-cost-line.avsc, quarantine-record.avsc, raw-call-event.avsc, reconciliation-result.avsc

export const ALERT_KIND_SYMBOLS = ['traffic_spike', 'prompt_growth', 'model_mix_shift', 'retry_storm', 'budget_crossing', 'other', 'price_change', 'new_feature', 'spend_drop', 'reconciliation_difference'] as const;
export type AlertKind = (typeof ALERT_KIND_SYMBOLS)[number];

export const ALERT_SEVERITY_SYMBOLS = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITY_SYMBOLS)[number];

export interface AlertScope {
  /** Team whose spend moved. */
  team_id: string;
  /** Feature, if the alert is narrower than the team. */
  feature: null | string;
  /** Model, if the alert is narrower than the team. */
  model: null | string;
  /** Environment, if narrower. */
  environment: null | string;
  /** Workflow, if the alert is narrower than the team. */
  workflow: null | string;
  /** Key of the tracked series, e.g. team:search or feature:search:answers. */
  series: null | string;
}

export interface AlertDriver {
  /** Dimension that moved: feature, model, workflow, ... */
  dimension: string;
  /** Value of that dimension. */
  key: string;
  /** Change in spend it explains, nano-USD. */
  delta_nanos: number;
  /** Share of the total change, in basis points. */
  share_bp: number;
  /** Factor this term measures: traffic, prompt_size, output_size, model_mix, price, retries, new_entity. */
  cause: string;
  /** Prompt template version new in the carrier since the baseline, if any. */
  template_version: null | string;
}

export const ALERT_STATUS_SYMBOLS = ['open', 'updated', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUS_SYMBOLS)[number];

/** A spend anomaly with its explanation: more traffic, bigger prompts, a model-mix shift, a retry storm, or a budget crossing. */
export interface AlertEvent {
  /** Unique id of the alert. */
  alert_id: string;
  /** What changed: the primary driver of a spike (traffic, prompt growth, model mix, retries, price, a new feature/workflow/model), a drop, a budget crossing, or a reconciliation cell beyond tolerance (reconciliation_difference; readers of an older schema see it as other, the enum default). */
  kind: AlertKind;
  /** How urgent. */
  severity: AlertSeverity;
  /** What the alert is about. */
  scope: AlertScope;
  /** Start of the observed window (inclusive). */
  window_start: number;
  /** End of the observed window (exclusive). */
  window_end: number;
  /** Spend in the window, nano-USD. */
  observed_nanos: number;
  /** Expected spend from the rolling baseline, nano-USD. */
  baseline_nanos: number;
  /** The explanation in words. */
  explanation: string;
  /** One term per cause that moved, in nano-USD; the terms sum to observed_nanos - baseline_nanos exactly. dimension/key name the entity that carries most of it. */
  drivers: AlertDriver[];
  /** When the detector raised the alert. */
  detected_at: number;
  /** open (first time), updated (same incident, more spend or another cause), resolved (back to normal). */
  status: AlertStatus;
  /** 1 for the opening alert, +1 for every update and the resolution; (alert_id, revision) is unique. */
  revision: number;
  /** Cause of the largest driver. */
  primary_cause: null | string;
  /** Budget period (YYYY-MM) of a budget crossing. */
  period: null | string;
  /** Budget threshold crossed, in basis points of the budget (8000 = 80%). */
  threshold_bp: null | number;
  /** The monthly budget, nano-USD. */
  budget_nanos: null | number;
  /** Day (YYYY-MM-DD) the month's burn rate reaches 100% of the budget, given with the first threshold below 100%. */
  forecast_crossing_date: null | string;
}

export const CHARGEBACK_DIMENSION_SYMBOLS = ['total', 'feature', 'workflow', 'model', 'environment', 'user_ref', 'allocation', 'unattributed', 'adjustment'] as const;
export type ChargebackDimension = (typeof CHARGEBACK_DIMENSION_SYMBOLS)[number];

/** One line of a closed period's chargeback statement, for downstream ERP consumers. */
export interface ChargebackLine {
  /** Deterministic id of the line. */
  line_id: string;
  /** Billing period, YYYY-MM. */
  period: string;
  /** Team charged (or 'unattributed'). */
  team_id: string;
  /** Cost centre of the team. */
  cost_centre: null | string;
  /** Breakdown this line belongs to. */
  dimension: ChargebackDimension;
  /** Value of the dimension (null for total). */
  dimension_key: null | string;
  /** Directly attributed cost, nano-USD. */
  direct_nanos: number;
  /** Shared cost allocated to the team, nano-USD. */
  allocated_nanos: number;
  /** direct_nanos + allocated_nanos. */
  total_nanos: number;
  /** Same line in the previous period. */
  previous_total_nanos: null | number;
  /** Provider calls counted. */
  request_count: number;
  /** Tokens in the uncached input bucket. */
  uncached_input_tokens: number;
  /** Tokens in the cache-read bucket. */
  cache_read_tokens: number;
  /** Tokens in the 5-minute cache-write bucket. */
  cache_write_5m_tokens: number;
  /** Tokens in the 1-hour cache-write bucket. */
  cache_write_1h_tokens: number;
  /** Output tokens (reasoning included). */
  output_tokens: number;
  /** Reasoning subset of output. */
  reasoning_tokens: number;
  /** Content hash of the closed statement this line belongs to. */
  statement_hash: string;
  /** When the line was published. */
  published_at: number;
}

/** Deployment environment of the caller. */
export const ENVIRONMENT_SYMBOLS = ['prod', 'staging', 'dev', 'test'] as const;
export type Environment = (typeof ENVIRONMENT_SYMBOLS)[number];

/** Where the owning team came from. */
export const OWNER_SOURCE_SYMBOLS = ['event', 'api_key', 'service_account', 'unattributed'] as const;
export type OwnerSource = (typeof OWNER_SOURCE_SYMBOLS)[number];

/** What kind of caller made the request. */
export const REQUEST_SOURCE_SYMBOLS = ['ui', 'api_worker', 'cron', 'integration', 'agent', 'other'] as const;
export type RequestSource = (typeof REQUEST_SOURCE_SYMBOLS)[number];

/** Disjoint billable token buckets: every token is in exactly one of the first five. */
export interface BillableBuckets {
  /** Input tokens billed at the base input rate. */
  uncached_input: number;
  /** Input tokens read from the prompt cache. */
  cache_read: number;
  /** Tokens written to the cache with a 5-minute TTL. */
  cache_write_5m: number;
  /** Tokens written to the cache with a 1-hour TTL. */
  cache_write_1h: number;
  /** Output tokens, reasoning included. */
  output: number;
  /** Informational subset of output: reasoning/thinking tokens. */
  reasoning: number;
  /** Priced extras such as web_search_requests. */
  units: Record<string, number>;
}

/** A validated call with a trustworthy owner, pseudonymised ids and disjoint billable buckets. */
export interface EnrichedCallEvent {
  /** Unique per provider call; the idempotency key everywhere. */
  event_id: string;
  /** End-to-end join key of the user-visible request; the Kafka key. */
  trace_id: string;
  /** Position of this call in the request's call tree. */
  span_id: null | string;
  /** Parent span in the request's call tree. */
  parent_span_id: null | string;
  /** The provider's own request id, for reconciliation and disputes. */
  provider_request_id: null | string;
  /** When the provider call completed (UTC, epoch milliseconds). */
  occurred_at: number;
  /** Owning team; 'unattributed' when soft enforcement let an ownerless call pass. */
  team_id: string;
  /** HMAC-SHA256 pseudonym of the user id (tagged with the key id); never the raw id. */
  user_ref: null | string;
  /** HMAC-SHA256 pseudonym of the tenant id. */
  tenant_ref: null | string;
  /** Product capability that made the call. */
  feature: string;
  /** Product path within the feature. */
  workflow: null | string;
  /** Deployment environment. */
  environment: Environment;
  /** Where the owning team came from. */
  owner_source: OwnerSource;
  /** Id of the HMAC key that produced user_ref/tenant_ref (keys rotate). */
  pseudonym_key_id: null | string;
  /** What kind of caller made the request. */
  request_source: null | RequestSource;
  /** API key id that made the call. */
  api_key_id: null | string;
  /** Service account that made the call. */
  service_account: null | string;
  /** Gateway or proxy that relayed the call. */
  gateway_id: null | string;
  /** Provider-side project or workspace. */
  project_id: null | string;
  /** Prompt template release. */
  prompt_template_version: null | string;
  /** Canonical provider id. */
  provider: string;
  /** Model as requested. */
  model: string;
  /** Model version the provider resolved. */
  response_model: null | string;
  /** Pricing region. */
  region: null | string;
  /** Tier served. */
  service_tier: null | string;
  /** Disjoint billable token buckets. */
  buckets: BillableBuckets;
  /** The provider's usage object as returned, for audit. */
  raw_usage_json: null | string;
  /** 1 for the first attempt, 2+ for retries. */
  attempt: null | number;
  /** This call retried an earlier failed call. */
  is_retry: null | boolean;
  /** This call went to a fallback model or provider. */
  is_fallback: null | boolean;
  /** HTTP status of the provider call. */
  status_code: null | number;
  /** Provider call latency in milliseconds. */
  latency_ms: null | number;
  /** The response was streamed. */
  streamed: null | boolean;
  /** Free-form tags. */
  attributes: Record<string, string>;
  /** Prompt/completion text or credential fields removed from the input. */
  redactions: number;
  /** When the enricher produced this event. */
  enriched_at: number;
}

/** Every cost component in integer nano-USD (1e-9 USD), each rounded once, half to even; total_nanos is their exact sum. */
export interface CostComponents {
  /** Uncached input tokens x input rate. */
  uncached_input_nanos: number;
  /** Cache-read tokens x cache-read rate. */
  cache_read_nanos: number;
  /** 5-minute cache writes x their rate. */
  cache_write_5m_nanos: number;
  /** 1-hour cache writes x their rate. */
  cache_write_1h_nanos: number;
  /** Output tokens (reasoning included unless priced apart) x output rate. */
  output_nanos: number;
  /** Reasoning tokens when a rate card prices them apart, else 0. */
  reasoning_nanos: number;
  /** Per-request fee. */
  request_fee_nanos: number;
  /** Priced extras (web searches, ...). */
  units_nanos: number;
  /** Exact sum of the components above. */
  total_nanos: number;
}

/** An enriched call with its exact cost and the rate card that explains it. */
export interface PricedCallEvent {
  /** Unique per provider call; the idempotency key everywhere. */
  event_id: string;
  /** End-to-end join key of the user-visible request; the Kafka key. */
  trace_id: string;
  /** Position of this call in the request's call tree. */
  span_id: null | string;
  /** Parent span in the request's call tree. */
  parent_span_id: null | string;
  /** The provider's own request id, for reconciliation and disputes. */
  provider_request_id: null | string;
  /** When the provider call completed (UTC, epoch milliseconds). */
  occurred_at: number;
  /** Owning team (or 'unattributed'). */
  team_id: string;
  /** HMAC-SHA256 pseudonym of the user id (tagged with the key id); never the raw id. */
  user_ref: null | string;
  /** HMAC-SHA256 pseudonym of the tenant id. */
  tenant_ref: null | string;
  /** Product capability that made the call. */
  feature: string;
  /** Product path within the feature. */
  workflow: null | string;
  /** Deployment environment. */
  environment: Environment;
  /** Where the owning team came from (event, api key, service account, unattributed); null on calls priced before it was carried. */
  owner_source: null | OwnerSource;
  /** What kind of caller made the request. */
  request_source: null | RequestSource;
  /** API key id that made the call. */
  api_key_id: null | string;
  /** Service account that made the call. */
  service_account: null | string;
  /** Gateway or proxy that relayed the call. */
  gateway_id: null | string;
  /** Provider-side project or workspace. */
  project_id: null | string;
  /** Prompt template release. */
  prompt_template_version: null | string;
  /** Canonical provider id. */
  provider: string;
  /** Model as requested. */
  model: string;
  /** Model version the provider resolved. */
  response_model: null | string;
  /** The model id the call was priced as: response_model when the response named a model that has a price, else model. Null on events priced before this field existed. */
  priced_model: null | string;
  /** Pricing region. */
  region: null | string;
  /** Tier served. */
  service_tier: null | string;
  /** 1 for the first attempt, 2+ for retries. */
  attempt: null | number;
  /** This call retried an earlier failed call. */
  is_retry: null | boolean;
  /** This call went to a fallback model or provider. */
  is_fallback: null | boolean;
  /** HTTP status of the provider call. */
  status_code: null | number;
  /** Provider call latency in milliseconds. */
  latency_ms: null | number;
  /** Disjoint billable token buckets that were priced. */
  buckets: BillableBuckets;
  /** Cost components in nano-USD. */
  cost: CostComponents;
  /** Rate card (or catalog entry) that priced this call. */
  rate_card_id: string;
  /** Version of that rate card or catalog. */
  rate_card_version: string;
  /** Multiplier card (negotiated discount, regional uplift) applied on top of the rate card, if any. */
  rate_multiplier_id: null | string;
  /** Version of that multiplier card. */
  rate_multiplier_version: null | string;
  /** The exact decimal factor applied, e.g. "0.8". */
  rate_multiplier: null | string;
  /** Tier applied, e.g. long_context, batch. */
  pricing_tier: null | string;
  /** ISO 4217 currency of the rate card. */
  original_currency: string;
  /** Total in the rate card currency, in nano units of that currency. */
  original_total_minor: null | number;
  /** Dated FX rate used to convert to USD. */
  fx_rate_id: null | string;
  /** When the pricer priced this call. */
  priced_at: number;
}

export const COST_SOURCE_SYMBOLS = ['openai_costs', 'anthropic_cost_report', 'aws_cur', 'gcp_billing', 'azure_cost', 'focus', 'other', 'openai_usage', 'anthropic_usage_report'] as const;
export type CostSource = (typeof COST_SOURCE_SYMBOLS)[number];

/** One line of a provider's usage or cost export (OpenAI Costs, Anthropic cost report, AWS CUR, GCP billing, Azure, FOCUS), normalised. */
export interface ProviderCostLine {
  /** Deterministic id of the line (idempotent imports). */
  line_id: string;
  /** Canonical provider id. */
  provider: string;
  /** Billing account, organisation or subscription. */
  account_id: string;
  /** Project, workspace or sub-account. */
  project_id: null | string;
  /** Usage day, YYYY-MM-DD (UTC). */
  usage_date: string;
  /** Model, when the export breaks it out. */
  model: null | string;
  /** input, output, cache_read, cache_write, ... */
  token_type: null | string;
  /** Tier, when reported. */
  service_tier: null | string;
  /** Region, when reported. */
  region: null | string;
  /** Usage quantity in usage_unit. */
  usage_quantity: number;
  /** Unit of usage_quantity (tokens, requests, ...). */
  usage_unit: string;
  /** Cost in nano-USD, converted exactly from original_amount. */
  cost_nanos: number;
  /** ISO 4217 currency of the export. */
  currency: string;
  /** The exported amount as exact decimal text. */
  original_amount: string;
  /** Which export the line came from. */
  source: CostSource;
  /** When the line was imported. */
  imported_at: number;
  /** usage, credit, tax or adjustment. */
  line_type: string;
  /** False for usage-only exports (quantities, no money). */
  has_cost: boolean;
  /** Billed at a long-context tier (e.g. Anthropic context_window 200k-1M). */
  long_context: boolean;
  /** Cross-region, global, data-zone or geo-pinned inference, when the export says so. */
  inference_scope: null | string;
  /** 1 for a line's first figure; each restatement of the same line adds one. */
  revision: number;
  /** This revision's cost minus the previous revision's (0 for revision 1): the visible correction. */
  correction_nanos: number;
}

export const QUARANTINE_STAGE_SYMBOLS = ['ingest', 'enricher', 'pricer', 'reconciler', 'other'] as const;
export type QuarantineStage = (typeof QUARANTINE_STAGE_SYMBOLS)[number];

export const QUARANTINE_REASON_SYMBOLS = ['UNDECODABLE', 'UNKNOWN_SCHEMA', 'MISSING_FIELD', 'INVALID_VALUE', 'MISSING_OWNER', 'UNKNOWN_PROVIDER', 'UNKNOWN_RATE', 'FORBIDDEN_CONTENT', 'DUPLICATE', 'OTHER', 'CONFLICT'] as const;
export type QuarantineReason = (typeof QUARANTINE_REASON_SYMBOLS)[number];

export const PAYLOAD_ENCODING_SYMBOLS = ['avro_confluent', 'json', 'unknown'] as const;
export type PayloadEncoding = (typeof PAYLOAD_ENCODING_SYMBOLS)[number];

/** An event set aside because it could not be decoded, validated, attributed or priced: kept with its original bytes and a reason, replayable once the cause is fixed. */
export interface QuarantineRecord {
  /** Unique id of this quarantine record. */
  quarantine_id: string;
  /** event_id of the original event, when it could be read. */
  event_id: null | string;
  /** trace_id (or Kafka key) of the original event. */
  trace_id: null | string;
  /** Pipeline stage that set the event aside. */
  stage: QuarantineStage;
  /** Machine-readable reason code. CONFLICT: the event_id is already booked in the ledger with other content (another occurred_at, tokens, model...); the booked call stands. */
  reason: QuarantineReason;
  /** Human-readable explanation naming the offending field or value. */
  message: string;
  /** Topic the event was read from (null for HTTP ingest). */
  source_topic: null | string;
  /** Partition it was read from. */
  source_partition: null | number;
  /** Offset it was read from. */
  source_offset: null | number;
  /** The original message bytes (Avro wire format or JSON) exactly as received. */
  original_payload: Buffer;
  /** How original_payload is encoded. */
  payload_encoding: PayloadEncoding;
  /** original_payload is encrypted (AES-256-GCM, key derived from the pseudonym secret) because it may hold raw user or tenant ids; replay unseals it. */
  sealed: boolean;
  /** When the event was quarantined. */
  quarantined_at: number;
  /** Replays attempted so far. */
  attempts: number;
}

/** Token counts as the provider reported them (its own semantics). */
export interface RawUsage {
  /** Input/prompt tokens as reported (OpenAI and Gemini include cache reads; Anthropic and Bedrock do not). */
  input_tokens: number;
  /** Output/completion tokens as reported (OpenAI includes reasoning; Gemini candidates exclude thoughts). */
  output_tokens: number;
  /** Cache-read input tokens. */
  cached_input_tokens: null | number;
  /** Cache-write (creation) tokens, 5-minute TTL or unspecified. */
  cache_write_tokens: null | number;
  /** Cache-write tokens with a 1-hour TTL (Anthropic, Bedrock). */
  cache_write_1h_tokens: null | number;
  /** Reasoning/thinking tokens. */
  reasoning_tokens: null | number;
  /** Priced extras such as web_search_requests. */
  units: Record<string, number>;
}

/** One provider call as a producer (gateway, app, agent runtime) saw it, with its ownership envelope. Token counts are in the provider's own semantics; the enricher normalises them. */
export interface RawCallEvent {
  /** Unique per provider call; the idempotency key everywhere. */
  event_id: string;
  /** End-to-end join key of the user-visible request; the Kafka key. */
  trace_id: string;
  /** Position of this call in the request's call tree. */
  span_id: null | string;
  /** Parent span in the request's call tree. */
  parent_span_id: null | string;
  /** The provider's own request id, for reconciliation and disputes. */
  provider_request_id: null | string;
  /** When the provider call completed (UTC, epoch milliseconds). */
  occurred_at: number;
  /** Owning team; may be resolved later from api_key_id or service_account. */
  team_id: null | string;
  /** Raw end-user id; pseudonymised by the enricher and never stored raw. */
  user_id: null | string;
  /** Raw customer tenant id; pseudonymised by the enricher. */
  tenant_id: null | string;
  /** Product capability that made the call. */
  feature: string;
  /** Product path within the feature. */
  workflow: null | string;
  /** Deployment environment. */
  environment: Environment;
  /** What kind of caller made the request. */
  request_source: null | RequestSource;
  /** Provider or gateway API key id (never the key itself); resolves the owner. */
  api_key_id: null | string;
  /** Service account that made the call; resolves the owner via the allow-list. */
  service_account: null | string;
  /** Gateway or proxy that relayed the call. */
  gateway_id: null | string;
  /** Provider-side project or workspace. */
  project_id: null | string;
  /** Prompt template release; explains token drift between releases. */
  prompt_template_version: null | string;
  /** openai, anthropic, google, bedrock, azure_openai, mistral, ... */
  provider: string;
  /** Model as requested. */
  model: string;
  /** Model version the provider resolved, if known. */
  response_model: null | string;
  /** Pricing region, e.g. us-east-1. */
  region: null | string;
  /** Tier served: default, priority, flex, batch, ... */
  service_tier: null | string;
  /** Token usage in the provider's semantics. */
  usage: RawUsage;
  /** The provider's usage object exactly as returned, for audit. */
  raw_usage_json: null | string;
  /** 1 for the first attempt, 2+ for retries. */
  attempt: null | number;
  /** This call retried an earlier failed call. */
  is_retry: null | boolean;
  /** This call went to a fallback model or provider. */
  is_fallback: null | boolean;
  /** HTTP status of the provider call. */
  status_code: null | number;
  /** Provider call latency in milliseconds. */
  latency_ms: null | number;
  /** The response was streamed. */
  streamed: null | boolean;
  /** Free-form tags (bounded size). */
  attributes: Record<string, string>;
}

export const RECONCILIATION_STATUS_SYMBOLS = ['matched', 'within_tolerance', 'over_tolerance', 'missing_in_ledger', 'missing_in_provider'] as const;
export type ReconciliationStatus = (typeof RECONCILIATION_STATUS_SYMBOLS)[number];

export interface ReconciliationExplanation {
  /** missing_in_ledger, missing_at_provider, price_drift, cache_semantics, service_tier, long_context, region, rounding, fx, credits_tax_adjustments, day_boundary. */
  class: string;
  /** Part of delta_nanos this cause explains, nano-USD. */
  nanos: number;
  /** The evidence in words (rates, token counts, the rate card). */
  detail: string;
}

/** Ledger versus provider export for one cell: provider x account x model x day (UTC) x token type. */
export interface ReconciliationResult {
  /** Deterministic id of the comparison. */
  result_id: string;
  /** Canonical provider id. */
  provider: string;
  /** Billing account. */
  account_id: string;
  /** Day compared, YYYY-MM-DD (UTC). */
  usage_date: string;
  /** Model compared (null: all models of the account). */
  model: null | string;
  /** Spend in the ledger, nano-USD. */
  ledger_nanos: number;
  /** Spend in the provider export, nano-USD. */
  provider_nanos: number;
  /** provider_nanos - ledger_nanos. */
  delta_nanos: number;
  /** Delta relative to the provider amount, basis points. */
  delta_bp: number;
  /** Tolerance applied, basis points. */
  tolerance_bp: number;
  /** Outcome. */
  status: ReconciliationStatus;
  /** Ledger spend on that day and model without a resolved owner. */
  unattributed_nanos: number;
  /** When the comparison ran. */
  computed_at: number;
  /** Token type of the cell (null: the whole model-day, or its credits, tax and adjustments). */
  token_type: null | string;
  /** The provider may still restate this day. */
  provisional: boolean;
  /** Tokens in the ledger for the cell. */
  ledger_quantity: number;
  /** Tokens the provider reports for the cell (0 when the export gives none). */
  provider_quantity: number;
  /** Named causes of the delta; their nanos plus unexplained_nanos equal delta_nanos. */
  explanations: ReconciliationExplanation[];
  /** Part of delta_nanos no named cause explains. */
  unexplained_nanos: number;
}
