import type { PricedCallEvent } from '@tokentally/contracts';
import { COST_COLUMNS, type AdjustmentRow } from '@tokentally/domain-ledger';
import { copyCsvLineWriter, copyCsvSql, isoUtc, type Column } from '@tokentally/platform-db';

/** Ledger columns with their Postgres type and how a priced event fills them. */
export const LEDGER_COLUMNS: Column<PricedCallEvent>[] = [
  ['event_id', 'text', (e) => e.event_id],
  ['occurred_at', 'timestamptz', (e) => isoUtc(e.occurred_at)],
  ['period', 'text', (_e, period) => period],
  ['trace_id', 'text', (e) => e.trace_id],
  ['span_id', 'text', (e) => e.span_id],
  ['parent_span_id', 'text', (e) => e.parent_span_id],
  ['provider_request_id', 'text', (e) => e.provider_request_id],
  ['team_id', 'text', (e) => e.team_id],
  ['user_ref', 'text', (e) => e.user_ref],
  ['tenant_ref', 'text', (e) => e.tenant_ref],
  ['feature', 'text', (e) => e.feature],
  ['workflow', 'text', (e) => e.workflow],
  ['environment', 'text', (e) => e.environment],
  ['owner_source', 'text', (e) => e.owner_source ?? null],
  ['request_source', 'text', (e) => e.request_source ?? null],
  ['api_key_id', 'text', (e) => e.api_key_id ?? null],
  ['service_account', 'text', (e) => e.service_account ?? null],
  ['gateway_id', 'text', (e) => e.gateway_id ?? null],
  ['project_id', 'text', (e) => e.project_id ?? null],
  ['prompt_template_version', 'text', (e) => e.prompt_template_version ?? null],
  ['provider', 'text', (e) => e.provider],
  ['model', 'text', (e) => e.model],
  ['response_model', 'text', (e) => e.response_model],
  ['priced_model', 'text', (e) => e.priced_model ?? null],
  ['region', 'text', (e) => e.region],
  ['service_tier', 'text', (e) => e.service_tier],
  ['pricing_tier', 'text', (e) => e.pricing_tier],
  ['attempt', 'int4', (e) => e.attempt],
  ['is_retry', 'bool', (e) => e.is_retry ?? false],
  ['is_fallback', 'bool', (e) => e.is_fallback ?? false],
  ['status_code', 'int4', (e) => e.status_code],
  ['latency_ms', 'int4', (e) => e.latency_ms],
  ['uncached_input_tokens', 'int8', (e) => e.buckets.uncached_input],
  ['cache_read_tokens', 'int8', (e) => e.buckets.cache_read],
  ['cache_write_5m_tokens', 'int8', (e) => e.buckets.cache_write_5m],
  ['cache_write_1h_tokens', 'int8', (e) => e.buckets.cache_write_1h],
  ['output_tokens', 'int8', (e) => e.buckets.output],
  ['reasoning_tokens', 'int8', (e) => e.buckets.reasoning],
  ['units', 'jsonb', (e) => JSON.stringify(e.buckets.units)],
  ...COST_COLUMNS.map((column): Column<PricedCallEvent> => [column, 'int8', (e) => e.cost[column]]),
  ['rate_card_id', 'text', (e) => e.rate_card_id],
  ['rate_card_version', 'text', (e) => e.rate_card_version],
  ['rate_multiplier_id', 'text', (e) => e.rate_multiplier_id],
  ['rate_multiplier_version', 'text', (e) => e.rate_multiplier_version],
  ['rate_multiplier', 'text', (e) => e.rate_multiplier],
  ['original_currency', 'text', (e) => e.original_currency],
  ['original_total_minor', 'int8', (e) => e.original_total_minor],
  ['fx_rate_id', 'text', (e) => e.fx_rate_id],
  ['priced_at', 'timestamptz', (e) => isoUtc(e.priced_at)],
];

export const LEDGER_COLUMN_NAMES = LEDGER_COLUMNS.map(([name]) => name);

/** One ledger row as a CSV line for COPY (the hot path). */
export const ledgerCsvLine = copyCsvLineWriter(LEDGER_COLUMNS);

export const LEDGER_COPY_SQL = copyCsvSql('tokentally.ledger', LEDGER_COLUMNS);

/**
 * The ledger's event keys (see migration 0008): one row per event_id, claimed in the transaction that
 * books the call, whatever its month.
 */
export const EVENT_KEY_COLUMNS: Column<PricedCallEvent>[] = [
  ['event_id', 'text', (e) => e.event_id],
  ['occurred_at', 'timestamptz', (e) => isoUtc(e.occurred_at)],
];
export const eventKeyCsvLine = copyCsvLineWriter(EVENT_KEY_COLUMNS);
export const EVENT_KEYS_COPY_SQL = copyCsvSql('tokentally.ledger_event_keys', EVENT_KEY_COLUMNS);

/** Adjustment columns with how a re-pricing delta fills them. */
export const ADJUSTMENT_COLUMNS: Column<AdjustmentRow>[] = [
  ['adjustment_id', 'text', (a) => a.adjustmentId],
  ['event_id', 'text', (a) => a.eventId],
  ['occurred_at', 'timestamptz', (a) => new Date(a.occurredAt).toISOString()],
  ['trace_id', 'text', (a) => a.traceId],
  ['period', 'text', (a) => a.period],
  ['booked_at', 'timestamptz', (a) => new Date(a.bookedAt).toISOString()],
  ['team_id', 'text', (a) => a.teamId],
  ['user_ref', 'text', (a) => a.userRef],
  ['tenant_ref', 'text', (a) => a.tenantRef],
  ['owner_source', 'text', (a) => a.ownerSource],
  ['project_id', 'text', (a) => a.projectId],
  ['prompt_template_version', 'text', (a) => a.promptTemplateVersion],
  ['feature', 'text', (a) => a.feature],
  ['workflow', 'text', (a) => a.workflow],
  ['environment', 'text', (a) => a.environment],
  ['provider', 'text', (a) => a.provider],
  ['model', 'text', (a) => a.model],
  ...COST_COLUMNS.map((column): Column<AdjustmentRow> => [column, 'int8', (a) => a.delta[column].toString()]),
  ['rate_card_id', 'text', (a) => a.rateCardId],
  ['rate_card_version', 'text', (a) => a.rateCardVersion],
  ['rate_multiplier_id', 'text', (a) => a.rateMultiplierId],
  ['rate_multiplier_version', 'text', (a) => a.rateMultiplierVersion],
  ['fx_rate_id', 'text', (a) => a.fxRateId],
  ['reason', 'text', (a) => a.reason],
];
