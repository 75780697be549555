import { createHash } from 'node:crypto';
import { costDelta, isZeroCost, type CostVector } from './cost-vector';
import type { AdjustmentRow, EffectiveLedgerRow, ScopeFilter } from './ledger-row';
import type { RepricingLedger } from './ports';

/** What the current rate book says a booked call costs, with the rates that say it. */
export interface RepriceQuote {
  card: { id: string; version: string };
  multiplier: { id: string; version: string } | null;
  fx: { id: string } | null;
  cost: CostVector;
}

/** Prices a booked call again; a problem (no rate now, a bucket without a price) leaves it as it is. */
export type RowPricer = (row: EffectiveLedgerRow) => RepriceQuote | { problem: string };

export interface RepriceRequest {
  scope: ScopeFilter;
  /** Why, kept on every adjustment. */
  reason: string;
  /** Compute the impact, write nothing. */
  dryRun: boolean;
  /** Called after each page (progress for long windows). */
  onPage?: (progress: { scanned: number; toAdjust: number }) => void;
}

export interface TeamImpact {
  calls: number;
  delta: bigint;
}

export interface RepriceReport {
  scanned: number;
  changed: number;
  unchanged: number;
  unpriceable: number;
  /** Adjustment rows new to the ledger (0 on a dry run, and on a second run of the same reprice). */
  written: number;
  /** Per team, sorted by team id. */
  impact: [team: string, impact: TeamImpact][];
  net: bigint;
}

/**
 * The adjustment that brings a booked call from its effective cost to `quote`, or undefined when they
 * agree. Its id hashes the call and the new pricing, so the same reprice run twice adds nothing.
 */
export function adjustmentFor(
  row: EffectiveLedgerRow,
  quote: RepriceQuote,
  reason: string,
): AdjustmentRow | undefined {
  const delta = costDelta(quote.cost, row.effective);
  if (isZeroCost(delta)) return undefined;
  const identity = [
    row.event_id,
    row.occurred_at.toISOString(),
    quote.card.id,
    quote.card.version,
    quote.multiplier?.id ?? '',
    quote.multiplier?.version ?? '',
    quote.fx?.id ?? '',
    delta.total_nanos.toString(),
  ].join('|');
  return {
    adjustmentId: createHash('sha256').update(identity).digest('hex').slice(0, 32),
    eventId: row.event_id,
    occurredAt: row.occurred_at.getTime(),
    traceId: row.trace_id,
    // the ledger books it in the open period instead if this one is closed by then
    period: row.period,
    bookedAt: row.occurred_at.getTime(),
    teamId: row.team_id,
    userRef: row.user_ref,
    tenantRef: row.tenant_ref,
    ownerSource: row.owner_source,
    projectId: row.project_id,
    promptTemplateVersion: row.prompt_template_version,
    feature: row.feature,
    workflow: row.workflow,
    environment: row.environment,
    provider: row.provider,
    model: row.model,
    delta,
    rateCardId: quote.card.id,
    rateCardVersion: quote.card.version,
    rateMultiplierId: quote.multiplier?.id ?? null,
    rateMultiplierVersion: quote.multiplier?.version ?? null,
    fxRateId: quote.fx?.id ?? null,
    reason,
  };
}

/**
 * Re-pricing: every booked call of a window priced again with the current rates; differences become
 * adjustments (ledger rows are never edited), booked by the ledger in the call's period or, if that is
 * closed, in the open one. Streams the window page by page.
 */
export async function reprice(
  ledger: RepricingLedger,
  price: RowPricer,
  request: RepriceRequest,
): Promise<RepriceReport> {
  const impact = new Map<string, TeamImpact>();
  let scanned = 0;
  let unchanged = 0;
  let unpriceable = 0;
  let written = 0;
  let changed = 0;
  for await (const page of ledger.effectiveRows(request.scope)) {
    const adjustments: AdjustmentRow[] = [];
    for (const row of page) {
      scanned += 1;
      const quote = price(row);
      if ('problem' in quote) {
        unpriceable += 1;
        continue;
      }
      const adjustment = adjustmentFor(row, quote, request.reason);
      if (!adjustment) {
        unchanged += 1;
        continue;
      }
      changed += 1;
      const team = impact.get(row.team_id) ?? { calls: 0, delta: 0n };
      team.calls += 1;
      team.delta += adjustment.delta.total_nanos;
      impact.set(row.team_id, team);
      adjustments.push(adjustment);
    }
    if (!request.dryRun) written += await ledger.adjust(adjustments);
    request.onPage?.({ scanned, toAdjust: changed });
  }
  const sorted = [...impact].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const net = sorted.reduce((sum, [, team]) => sum + team.delta, 0n);
  return { scanned, changed, unchanged, unpriceable, written, impact: sorted, net };
}
