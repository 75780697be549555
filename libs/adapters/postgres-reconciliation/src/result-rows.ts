import { createHash } from 'node:crypto';
import type { StoredCellResult } from './reconciliation-results.repository';

/** A row of tokentally.reconciliation_results as the driver returns it (bigints as text). */
export interface ResultRow {
  result_id: string;
  provider: string;
  account_id: string;
  model: string;
  usage_date: string;
  token_type: string | null;
  ledger_nanos: string;
  provider_nanos: string;
  delta_nanos: string;
  delta_bp: number;
  tolerance_bp: number;
  status: string;
  provisional: boolean;
  ledger_quantity: string;
  provider_quantity: string;
  explanations: { class: string; nanos: string; detail: string }[];
  unexplained_nanos: string;
  computed_at: Date;
}

export function storedResultOf(r: ResultRow): StoredCellResult {
  return {
    resultId: r.result_id,
    provider: r.provider,
    accountId: r.account_id,
    model: r.model,
    usageDate: r.usage_date,
    tokenType: r.token_type,
    ledgerNanos: BigInt(r.ledger_nanos),
    providerNanos: BigInt(r.provider_nanos),
    deltaNanos: BigInt(r.delta_nanos),
    deltaBp: r.delta_bp,
    toleranceBp: r.tolerance_bp,
    status: r.status,
    provisional: r.provisional,
    ledgerQuantity: BigInt(r.ledger_quantity),
    providerQuantity: BigInt(r.provider_quantity),
    explanations: r.explanations.map((e) => ({ class: e.class, nanos: BigInt(e.nanos), detail: e.detail })),
    unexplainedNanos: BigInt(r.unexplained_nanos),
    computedAt: r.computed_at,
  };
}

export const explanationsJson = (r: StoredCellResult): string =>
  JSON.stringify(
    r.explanations.map((e) => ({ class: e.class, nanos: e.nanos.toString(), detail: e.detail })),
  );

export function digestOf(r: StoredCellResult): string {
  return createHash('sha1')
    .update(
      [
        r.model,
        r.ledgerNanos,
        r.providerNanos,
        r.status,
        r.provisional,
        r.toleranceBp,
        r.ledgerQuantity,
        r.providerQuantity,
        explanationsJson(r),
      ].join('|'),
    )
    .digest('hex');
}
