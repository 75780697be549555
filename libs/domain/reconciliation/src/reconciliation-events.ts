import { createHash } from 'node:crypto';
import type { AlertEvent, ProviderCostLine, ReconciliationResult } from '@tokentally/contracts';
import { formatUsd, nanosToSafeNumber } from '@tokentally/domain-money';
import type { CostLine, CostSource, LineType, TokenType } from './cost-line';
import { DIFFERENCE_CLASSES, type CellResult } from './reconciliation.types';

const SOURCES: readonly CostSource[] = [
  'openai_costs',
  'openai_usage',
  'anthropic_cost_report',
  'anthropic_usage_report',
  'aws_cur',
  'gcp_billing',
  'azure_cost',
  'focus',
];
const TOKEN_TYPES: readonly TokenType[] = [
  'input',
  'cache_read',
  'cache_write_5m',
  'cache_write_1h',
  'cache_write',
  'output',
  'other',
];
const LINE_TYPES: readonly LineType[] = ['usage', 'credit', 'tax', 'adjustment'];

/** A stored line back to the domain type, refusing values no importer writes. */
export function costLineFrom(
  stored: Omit<CostLine, 'source' | 'tokenType' | 'lineType'> & {
    source: string;
    tokenType: string | null;
    lineType: string;
  },
): CostLine {
  const source = SOURCES.find((s) => s === stored.source);
  const tokenType = stored.tokenType === null ? null : TOKEN_TYPES.find((t) => t === stored.tokenType);
  const lineType = LINE_TYPES.find((t) => t === stored.lineType);
  if (!source || tokenType === undefined || !lineType)
    throw new RangeError(`stored line ${stored.lineId} has an unknown source, token type or line type`);
  return { ...stored, source, tokenType, lineType };
}

/** The billing.provider-costs.v1 value of a line at a revision. */
export function providerCostEvent(
  line: CostLine,
  revision: number,
  correctionNanos: bigint,
  importedAt: number,
): ProviderCostLine {
  return {
    line_id: line.lineId,
    provider: line.provider,
    account_id: line.accountId,
    project_id: line.projectId,
    usage_date: line.usageDate,
    model: line.model,
    token_type: line.tokenType,
    service_tier: line.price.serviceTier,
    region: line.region,
    usage_quantity: nanosToSafeNumber(line.quantity),
    usage_unit: line.unit,
    cost_nanos: nanosToSafeNumber(line.amountNanos),
    currency: line.currency,
    original_amount: line.originalAmount,
    source: line.source,
    imported_at: importedAt,
    line_type: line.lineType,
    has_cost: line.hasCost,
    long_context: line.price.longContext,
    inference_scope: line.price.inferenceScope,
    revision,
    correction_nanos: nanosToSafeNumber(correctionNanos),
  };
}

/** The llm.reconciliation.v1 value of a cell. */
export function reconciliationEvent(
  cell: CellResult,
  computedAt: number,
  unattributedNanos = 0n,
): ReconciliationResult {
  return {
    result_id: cell.resultId,
    provider: cell.provider,
    account_id: cell.accountId,
    usage_date: cell.usageDate,
    model: cell.model,
    ledger_nanos: nanosToSafeNumber(cell.ledgerNanos),
    provider_nanos: nanosToSafeNumber(cell.providerNanos),
    delta_nanos: nanosToSafeNumber(cell.deltaNanos),
    delta_bp: cell.deltaBp,
    tolerance_bp: cell.toleranceBp,
    status: cell.status,
    unattributed_nanos: nanosToSafeNumber(unattributedNanos),
    computed_at: computedAt,
    token_type: cell.tokenType,
    provisional: cell.provisional,
    ledger_quantity: nanosToSafeNumber(cell.ledgerQuantity),
    provider_quantity: nanosToSafeNumber(cell.providerQuantity),
    explanations: cell.explanations.map((e) => ({
      class: e.class,
      nanos: nanosToSafeNumber(e.nanos),
      detail: e.detail,
    })),
    unexplained_nanos: nanosToSafeNumber(cell.unexplainedNanos),
  };
}

export const isOverTolerance = (cell: CellResult): boolean =>
  cell.status !== 'matched' && cell.status !== 'within_tolerance';

/**
 * An llm.alerts.v1 value for a cell beyond tolerance. The id derives from the cell alone, so a
 * re-run updates the same alert; the drivers are the named classes (and unexplained), whose nanos
 * add up to provider - ledger exactly. Provisional days alert as info: the provider may restate.
 */
export function reconciliationAlert(cell: CellResult, teamId: string, detectedAt: number): AlertEvent {
  const day = Date.parse(`${cell.usageDate}T00:00:00Z`);
  const magnitude = cell.deltaNanos < 0n ? -cell.deltaNanos : cell.deltaNanos;
  const drivers = [
    ...cell.explanations.map((e) => ({ key: e.class, nanos: e.nanos })),
    ...(cell.unexplainedNanos !== 0n ? [{ key: 'unexplained', nanos: cell.unexplainedNanos }] : []),
  ].map(({ key, nanos }) => ({
    dimension: 'reconciliation_class',
    key,
    delta_nanos: nanosToSafeNumber(nanos),
    share_bp: cell.deltaNanos === 0n ? 0 : Number((nanos * 10_000n) / cell.deltaNanos),
    cause: key,
    template_version: null,
  }));
  const parts = drivers.map((d) => `${d.key} ${formatUsd(BigInt(d.delta_nanos))}`).join(', ');
  return {
    alert_id: createHash('sha256').update(`reconciliation|${cell.resultId}`).digest('hex').slice(0, 32),
    kind: 'reconciliation_difference',
    severity: cell.provisional ? 'info' : magnitude >= 100_000_000_000n ? 'critical' : 'warning',
    scope: {
      team_id: teamId,
      feature: null,
      model: cell.model,
      environment: null,
      workflow: null,
      series: `reconciliation:${cell.provider}/${cell.accountId}`,
    },
    window_start: day,
    window_end: day + 86_400_000,
    observed_nanos: nanosToSafeNumber(cell.providerNanos),
    baseline_nanos: nanosToSafeNumber(cell.ledgerNanos),
    explanation: `reconciliation ${cell.provider}/${cell.accountId} ${cell.model} ${cell.tokenType ?? 'all'} on ${cell.usageDate}: provider ${formatUsd(cell.providerNanos)} vs ledger ${formatUsd(cell.ledgerNanos)} (${cell.deltaBp} bp, tolerance ${cell.toleranceBp} bp${cell.provisional ? ', provisional' : ''}): ${parts}`,
    drivers,
    detected_at: detectedAt,
    status: 'open',
    revision: 1,
    primary_cause:
      drivers.reduce<(typeof drivers)[number] | undefined>(
        (top, d) => (!top || Math.abs(d.delta_nanos) > Math.abs(top.delta_nanos) ? d : top),
        undefined,
      )?.key ?? null,
    period: cell.usageDate.slice(0, 7),
    threshold_bp: cell.toleranceBp,
    budget_nanos: null,
    forecast_crossing_date: null,
  };
}

const STATUSES: readonly CellResult['status'][] = [
  'matched',
  'within_tolerance',
  'over_tolerance',
  'missing_in_ledger',
  'missing_in_provider',
];

/** A stored cell back to the domain type (status, token type and classes checked). */
export function cellResultFrom(
  stored: Omit<CellResult, 'status' | 'tokenType' | 'explanations'> & {
    status: string;
    tokenType: string | null;
    explanations: { class: string; nanos: bigint; detail: string }[];
  },
): CellResult {
  const status = STATUSES.find((s) => s === stored.status);
  const tokenType = stored.tokenType === null ? null : TOKEN_TYPES.find((t) => t === stored.tokenType);
  const explanations = stored.explanations.map((e) => {
    const cls = DIFFERENCE_CLASSES.find((c) => c === e.class);
    if (!cls) throw new RangeError(`stored result ${stored.resultId} has an unknown class ${e.class}`);
    return { ...e, class: cls };
  });
  if (!status || tokenType === undefined)
    throw new RangeError(`stored result ${stored.resultId} has an unknown status or token type`);
  return { ...stored, status, tokenType, explanations };
}
