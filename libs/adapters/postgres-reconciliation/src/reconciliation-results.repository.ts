import type { Pool } from 'pg';
import { DIFFERENCE_CLASSES, type CellSums } from '@tokentally/domain-reconciliation';
import { ProviderCostRepository } from './reconciliation.repository';
import { digestOf, explanationsJson, storedResultOf, type ResultRow } from './result-rows';

/** One stored reconciliation cell (the domain's CellResult with plain strings). */
export interface StoredCellResult {
  resultId: string;
  provider: string;
  accountId: string;
  model: string;
  usageDate: string;
  tokenType: string | null;
  ledgerNanos: bigint;
  providerNanos: bigint;
  deltaNanos: bigint;
  deltaBp: number;
  toleranceBp: number;
  status: string;
  provisional: boolean;
  ledgerQuantity: bigint;
  providerQuantity: bigint;
  explanations: { class: string; nanos: bigint; detail: string }[];
  unexplainedNanos: bigint;
  computedAt: Date;
}

/** The ledger side of a reconciliation: daily rollup sums per provider, team, model and UTC day. */
export interface LedgerDailyRow {
  provider: string;
  teamId: string;
  /** The provider-side project the calls named ('' when they named none). */
  projectId: string;
  model: string;
  day: string;
  tokens: {
    input: bigint;
    cache_read: bigint;
    cache_write_5m: bigint;
    cache_write_1h: bigint;
    output: bigint;
  };
  nanos: { input: bigint; cache: bigint; output: bigint; other: bigint };
}

/** Reconciliation results (latest per cell) and the rollup read they compare with. */
export class ReconciliationRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Daily rollup sums on [from, to] (UTC days, inclusive) by provider, team and model. The rollup
   * bucket is the call's UTC day; adjustments are booked on their own day and count there. Grouped
   * by the provider-side project too, so exports with projects reconcile project by project.
   */
  async ledgerDaily(from: string, to: string): Promise<LedgerDailyRow[]> {
    const { rows } = await this.pool.query<Record<string, string>>(
      `SELECT provider, team_id, project_id, model, to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
              sum(input_tokens) AS input_tokens, sum(cache_read_tokens) AS cache_read_tokens,
              sum(cache_write_5m_tokens) AS cache_write_5m_tokens, sum(cache_write_1h_tokens) AS cache_write_1h_tokens,
              sum(output_tokens) AS output_tokens, sum(input_nanos) AS input_nanos, sum(cache_nanos) AS cache_nanos,
              sum(output_nanos) AS output_nanos, sum(total_nanos - input_nanos - cache_nanos - output_nanos) AS other_nanos
         FROM tokentally.rollup_daily
        WHERE bucket >= $1::date AT TIME ZONE 'UTC' AND bucket < ($2::date + 1) AT TIME ZONE 'UTC'
        GROUP BY provider, team_id, project_id, model, bucket`,
      [from, to],
    );
    return rows.map((r) => ({
      provider: r['provider']!,
      teamId: r['team_id']!,
      projectId: r['project_id'] ?? '',
      model: r['model']!,
      day: r['day']!,
      tokens: {
        input: BigInt(r['input_tokens']!),
        cache_read: BigInt(r['cache_read_tokens']!),
        cache_write_5m: BigInt(r['cache_write_5m_tokens']!),
        cache_write_1h: BigInt(r['cache_write_1h_tokens']!),
        output: BigInt(r['output_tokens']!),
      },
      nanos: {
        input: BigInt(r['input_nanos']!),
        cache: BigInt(r['cache_nanos']!),
        output: BigInt(r['output_nanos']!),
        other: BigInt(r['other_nanos']!),
      },
    }));
  }

  /**
   * Upserts cells. A cell whose figures did not change since the last run is not written again (its
   * computed_at says when its figures last changed): a timed re-run over unchanged days writes nothing.
   */
  async save(results: readonly StoredCellResult[]): Promise<void> {
    for (let start = 0; start < results.length; start += 20_000) {
      const slice = results.slice(start, start + 20_000);
      const digests = slice.map(digestOf);
      const { rows } = await this.pool.query<{ result_id: string; digest: string }>(
        `SELECT r.result_id, r.digest FROM tokentally.reconciliation_results r
           JOIN UNNEST($1::text[]) AS u(id) ON r.result_id = u.id`,
        [slice.map((r) => r.resultId)],
      );
      const stored = new Map(rows.map((r) => [r.result_id, r.digest]));
      const batch = slice.filter((r, i) => stored.get(r.resultId) !== digests[i]);
      const digest = batch.map(digestOf);
      if (batch.length === 0) continue;
      await this.pool.query(
        `INSERT INTO tokentally.reconciliation_results (result_id, provider, account_id, model, usage_date, token_type,
           ledger_nanos, provider_nanos, delta_nanos, delta_bp, tolerance_bp, status, provisional, ledger_quantity,
           provider_quantity, explanations, unexplained_nanos, computed_at, digest)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[], $7::bigint[],
           $8::bigint[], $9::bigint[], $10::int[], $11::int[], $12::text[], $13::boolean[], $14::bigint[], $15::bigint[],
           $16::jsonb[], $17::bigint[], $18::timestamptz[], $19::text[])
         ON CONFLICT (result_id) DO UPDATE SET ledger_nanos = EXCLUDED.ledger_nanos, provider_nanos = EXCLUDED.provider_nanos,
           delta_nanos = EXCLUDED.delta_nanos, delta_bp = EXCLUDED.delta_bp, tolerance_bp = EXCLUDED.tolerance_bp,
           status = EXCLUDED.status, provisional = EXCLUDED.provisional, ledger_quantity = EXCLUDED.ledger_quantity,
           provider_quantity = EXCLUDED.provider_quantity, explanations = EXCLUDED.explanations,
           unexplained_nanos = EXCLUDED.unexplained_nanos, computed_at = EXCLUDED.computed_at, model = EXCLUDED.model,
           digest = EXCLUDED.digest`,
        [
          batch.map((r) => r.resultId),
          batch.map((r) => r.provider),
          batch.map((r) => r.accountId),
          batch.map((r) => r.model),
          batch.map((r) => r.usageDate),
          batch.map((r) => r.tokenType),
          batch.map((r) => r.ledgerNanos.toString()),
          batch.map((r) => r.providerNanos.toString()),
          batch.map((r) => r.deltaNanos.toString()),
          batch.map((r) => r.deltaBp),
          batch.map((r) => r.toleranceBp),
          batch.map((r) => r.status),
          batch.map((r) => r.provisional),
          batch.map((r) => r.ledgerQuantity.toString()),
          batch.map((r) => r.providerQuantity.toString()),
          batch.map((r) => explanationsJson(r)),
          batch.map((r) => r.unexplainedNanos.toString()),
          batch.map((r) => r.computedAt.toISOString()),
          digest,
        ],
      );
    }
  }

  /**
   * Deletes stored cells of these provider x account x days (account-level and `<account>/<project>`
   * cells) that are not in `keep`: what a re-run no longer produces must not stay counted.
   */
  async prune(
    scopes: readonly { provider: string; accountId: string; day: string }[],
    keep: readonly string[],
  ): Promise<void> {
    if (scopes.length === 0) return;
    await this.pool.query(
      `DELETE FROM tokentally.reconciliation_results r
        USING UNNEST($1::text[], $2::text[], $3::date[]) AS s(provider, account_id, day)
        WHERE r.provider = s.provider AND r.usage_date = s.day
          AND (r.account_id = s.account_id OR starts_with(r.account_id, s.account_id || '/'))
          AND NOT EXISTS (SELECT 1 FROM UNNEST($4::text[]) AS k(id) WHERE k.id = r.result_id)`,
      [scopes.map((s) => s.provider), scopes.map((s) => s.accountId), scopes.map((s) => s.day), keep],
    );
  }

  /**
   * Stored cells on [from, to] summed per provider account, open (beyond tolerance) or not, and
   * provisional or not, with the nanos of each class: a period's status without reading every cell.
   */
  async periodSums(from: string, to: string): Promise<CellSums[]> {
    const where = `usage_date BETWEEN $1 AND $2`;
    const open = `status NOT IN ('matched', 'within_tolerance')`;
    const [totals, classes] = await Promise.all([
      this.pool.query<Record<string, string | boolean>>(
        `SELECT provider, account_id, ${open} AS open, provisional, count(*) AS cells, sum(ledger_nanos) AS ledger,
                sum(provider_nanos) AS provider_total, sum(delta_nanos) AS delta, sum(unexplained_nanos) AS unexplained
           FROM tokentally.reconciliation_results WHERE ${where} GROUP BY 1, 2, 3, 4`,
        [from, to],
      ),
      this.pool.query<Record<string, string | boolean>>(
        `SELECT provider, account_id, ${open} AS open, provisional, e->>'class' AS class, sum((e->>'nanos')::bigint) AS nanos
           FROM tokentally.reconciliation_results, jsonb_array_elements(explanations) e WHERE ${where} GROUP BY 1, 2, 3, 4, 5`,
        [from, to],
      ),
    ]);
    const keyOf = (r: Record<string, string | boolean>): string =>
      `${String(r['provider'])}|${String(r['account_id'])}|${String(r['open'])}|${String(r['provisional'])}`;
    const sums = new Map<string, CellSums>();
    for (const r of totals.rows) {
      const unexplained = BigInt(r['unexplained'] as string);
      sums.set(keyOf(r), {
        provider: r['provider'] as string,
        accountId: r['account_id'] as string,
        open: r['open'] as boolean,
        provisional: r['provisional'] as boolean,
        cells: Number(r['cells']),
        ledgerNanos: BigInt(r['ledger'] as string),
        providerNanos: BigInt(r['provider_total'] as string),
        deltaNanos: BigInt(r['delta'] as string),
        byClass: unexplained === 0n ? {} : { unexplained },
      });
    }
    for (const r of classes.rows) {
      const sum = sums.get(keyOf(r));
      const cls = DIFFERENCE_CLASSES.find((c) => c === r['class']);
      const nanos = BigInt(r['nanos'] as string);
      if (sum && cls && nanos !== 0n) sum.byClass[cls] = nanos;
    }
    return [...sums.values()];
  }

  /** Stored cells on [from, to], optionally only those over tolerance; largest differences first. */
  async results(
    from: string,
    to: string,
    options: { openOnly?: boolean; provider?: string } = {},
  ): Promise<StoredCellResult[]> {
    const { rows } = await this.pool.query<ResultRow>(
      `SELECT result_id, provider, account_id, model, to_char(usage_date, 'YYYY-MM-DD') AS usage_date, token_type,
              ledger_nanos, provider_nanos, delta_nanos, delta_bp, tolerance_bp, status, provisional, ledger_quantity,
              provider_quantity, explanations, unexplained_nanos, computed_at
         FROM tokentally.reconciliation_results
        WHERE usage_date BETWEEN $1 AND $2 AND ($3::boolean IS NOT TRUE OR status NOT IN ('matched', 'within_tolerance'))
          AND ($4::text IS NULL OR provider = $4)
        ORDER BY abs(delta_nanos) DESC, usage_date, provider, account_id, model, token_type`,
      [from, to, options.openOnly ?? false, options.provider ?? null],
    );
    return rows.map(storedResultOf);
  }
}

/** The reads and writes of a reconciliation run, as the domain's ports (libs/domain/reconciliation) expect. */
export function reconciliationStores(pool: Pool) {
  const costs = new ProviderCostRepository(pool);
  const results = new ReconciliationRepository(pool);
  return {
    saveImport: costs.save.bind(costs),
    currentLines: costs.currentLines.bind(costs),
    providerAccounts: costs.providerAccounts.bind(costs),
    ledgerDaily: results.ledgerDaily.bind(results),
    save: results.save.bind(results),
    prune: results.prune.bind(results),
  };
}
