import type { Pool } from 'pg';
import type {
  CoveragePorts,
  CoverageSpend,
  MissingInLedger,
  QuarantinedCount,
  UnownedSender,
} from '@tokentally/domain-reconciliation';

/** What a weekly coverage report reads (libs/domain/reconciliation `CoveragePorts`). */
export class CoverageRepository implements CoveragePorts {
  constructor(private readonly pool: Pool) {}

  /** The week's spend from the daily rollups (adjustments included), all and unattributed. */
  async spend(from: string, to: string): Promise<CoverageSpend> {
    const { rows } = await this.pool.query<Record<string, string | null>>(
      `SELECT coalesce(sum(calls), 0) AS calls, coalesce(sum(total_nanos), 0) AS total,
              coalesce(sum(calls) FILTER (WHERE team_id = 'unattributed'), 0) AS unattributed_calls,
              coalesce(sum(total_nanos) FILTER (WHERE team_id = 'unattributed'), 0) AS unattributed
         FROM tokentally.rollup_daily
        WHERE bucket >= $1::date AT TIME ZONE 'UTC' AND bucket < ($2::date + 1) AT TIME ZONE 'UTC'`,
      [from, to],
    );
    const row = rows[0] ?? {};
    return {
      calls: BigInt(row['calls'] ?? 0),
      totalNanos: BigInt(row['total'] ?? 0),
      unattributedCalls: BigInt(row['unattributed_calls'] ?? 0),
      unattributedNanos: BigInt(row['unattributed'] ?? 0),
    };
  }

  /**
   * Unowned ledger calls of the week by the identities on them (the rollups keep none of those):
   * the partial index ledger_unattributed reads only these rows.
   */
  async unownedSenders(from: string, to: string): Promise<UnownedSender[]> {
    const { rows } = await this.pool.query<Record<string, string | null>>(
      `SELECT api_key_id, service_account, gateway_id, workflow, environment, count(*) AS calls,
              sum(total_nanos) AS nanos
         FROM tokentally.ledger
        WHERE team_id = 'unattributed'
          AND occurred_at >= $1::date AT TIME ZONE 'UTC' AND occurred_at < ($2::date + 1) AT TIME ZONE 'UTC'
        GROUP BY 1, 2, 3, 4, 5`,
      [from, to],
    );
    return rows.map((r) => ({
      apiKeyId: r['api_key_id'] || null,
      serviceAccount: r['service_account'] || null,
      gatewayId: r['gateway_id'] || null,
      workflow: r['workflow'] || null,
      environment: r['environment'] || null,
      calls: BigInt(r['calls'] ?? 0),
      nanos: BigInt(r['nanos'] ?? 0),
    }));
  }

  /** Events quarantined during the week and never replayed, by reason and stage. */
  async quarantined(from: string, to: string): Promise<QuarantinedCount[]> {
    const { rows } = await this.pool.query<{ reason: string; stage: string; count: string }>(
      `SELECT reason, stage, count(*) AS count FROM tokentally.quarantine
        WHERE replay_count = 0
          AND quarantined_at >= $1::date AT TIME ZONE 'UTC' AND quarantined_at < ($2::date + 1) AT TIME ZONE 'UTC'
        GROUP BY reason, stage`,
      [from, to],
    );
    return rows.map((r) => ({ reason: r.reason, stage: r.stage, count: BigInt(r.count) }));
  }

  /** What the last reconciliation of the week's days classed `missing_in_ledger`, per provider account. */
  async missingInLedger(from: string, to: string): Promise<MissingInLedger[]> {
    const { rows } = await this.pool.query<{
      provider: string;
      account_id: string;
      nanos: string;
      cells: string;
    }>(
      `SELECT r.provider, r.account_id, sum((e->>'nanos')::bigint) AS nanos, count(DISTINCT r.result_id) AS cells
         FROM tokentally.reconciliation_results r, jsonb_array_elements(r.explanations) e
        WHERE r.usage_date BETWEEN $1 AND $2 AND e->>'class' = 'missing_in_ledger'
        GROUP BY r.provider, r.account_id`,
      [from, to],
    );
    return rows.map((r) => ({
      provider: r.provider,
      accountId: r.account_id,
      nanos: BigInt(r.nanos),
      cells: Number(r.cells),
    }));
  }
}
