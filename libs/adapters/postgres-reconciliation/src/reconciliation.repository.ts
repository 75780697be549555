import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '@tokentally/platform-db';
import { COLUMNS, SELECT_LINE, storedLineOf, type LineRow } from './reconciliation-rows';

/** A normalised provider line as stored (the domain's CostLine, with plain strings for its enums). */
export interface StoredCostLine {
  lineId: string;
  source: string;
  provider: string;
  accountId: string;
  projectId: string | null;
  model: string | null;
  usageDate: string;
  tokenType: string | null;
  region: string | null;
  price: { serviceTier: string | null; longContext: boolean; inferenceScope: string | null };
  quantity: bigint;
  unit: string;
  amountNanos: bigint;
  hasCost: boolean;
  currency: string;
  originalAmount: string;
  originalNanos: bigint;
  roundingNanos: bigint;
  lineType: string;
  correction: boolean;
}

export interface SavedLine {
  line: StoredCostLine;
  revision: number;
  /** This revision minus the one it replaces (0 for a first figure). */
  correctionNanos: bigint;
}

export interface ImportOutcome {
  importId: string;
  inserted: number;
  corrected: number;
  unchanged: number;
  /** New and restated lines, in file order: what the reconciler publishes. */
  changed: SavedLine[];
}

function columnsOf(saved: SavedLine, importId: string): unknown[] {
  const { line } = saved;
  return [
    line.lineId,
    saved.revision,
    importId,
    line.source,
    line.provider,
    line.accountId,
    line.projectId,
    line.model,
    line.usageDate,
    line.tokenType,
    line.region,
    line.price.serviceTier,
    line.price.longContext,
    line.price.inferenceScope,
    line.quantity.toString(),
    line.unit,
    line.amountNanos.toString(),
    line.hasCost,
    line.currency,
    line.originalAmount,
    line.originalNanos.toString(),
    line.roundingNanos.toString(),
    line.lineType,
    line.correction,
    saved.correctionNanos.toString(),
  ];
}

/**
 * Imported provider lines, idempotent by line_id: an unchanged line adds nothing, a restated one
 * becomes the next revision (the earlier kept, superseded) with its correction in nanos.
 */
export class ProviderCostRepository {
  constructor(private readonly pool: Pool) {}

  async save(
    meta: { importId: string; format: string; fileName: string | null; accountId: string | null },
    lines: readonly StoredCostLine[],
  ): Promise<ImportOutcome> {
    const client = await this.pool.connect();
    try {
      return await inTransaction(client, () => this.saveIn(client, meta, lines));
    } finally {
      client.release();
    }
  }

  private async saveIn(
    client: PoolClient,
    meta: { importId: string; format: string; fileName: string | null; accountId: string | null },
    lines: readonly StoredCostLine[],
  ): Promise<ImportOutcome> {
    {
      // imports are rare and small next to the ledger: one at a time keeps revisions gap-free
      await client.query("SELECT pg_advisory_xact_lock(hashtext('tokentally.provider_cost_lines'))");
      const unique = new Map(lines.map((line) => [line.lineId, line]));
      const current = await this.current(client, [...unique.keys()]);
      const changed: SavedLine[] = [];
      let unchanged = 0;
      for (const line of unique.values()) {
        const before = current.get(line.lineId);
        if (!before) changed.push({ line, revision: 1, correctionNanos: 0n });
        else if (before.amount === line.amountNanos && before.quantity === line.quantity) unchanged += 1;
        else
          changed.push({
            line,
            revision: before.revision + 1,
            correctionNanos: line.amountNanos - before.amount,
          });
      }
      await client.query(
        `INSERT INTO tokentally.provider_cost_imports (import_id, format, file_name, account_id, lines, inserted, corrected, unchanged)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (import_id) DO NOTHING`,
        [
          meta.importId,
          meta.format,
          meta.fileName,
          meta.accountId,
          unique.size,
          changed.filter((c) => c.revision === 1).length,
          changed.filter((c) => c.revision > 1).length,
          unchanged,
        ],
      );
      const restated = changed.filter((c) => c.revision > 1).map((c) => c.line.lineId);
      if (restated.length > 0)
        await client.query(
          'UPDATE tokentally.provider_cost_lines SET superseded_at = now() WHERE line_id = ANY($1) AND superseded_at IS NULL',
          [restated],
        );
      for (let start = 0; start < changed.length; start += 5000) {
        const batch = changed.slice(start, start + 5000).map((c) => columnsOf(c, meta.importId));
        await client.query(
          `INSERT INTO tokentally.provider_cost_lines (${COLUMNS.map(([c]) => c).join(', ')})
           SELECT * FROM UNNEST(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})`,
          COLUMNS.map((_, i) => batch.map((row) => row[i])),
        );
      }
      const corrected = restated.length;
      return { importId: meta.importId, inserted: changed.length - corrected, corrected, unchanged, changed };
    }
  }

  private async current(
    client: PoolClient,
    ids: string[],
  ): Promise<Map<string, { revision: number; amount: bigint; quantity: bigint }>> {
    const found = new Map<string, { revision: number; amount: bigint; quantity: bigint }>();
    for (let start = 0; start < ids.length; start += 20_000) {
      const { rows } = await client.query<{
        line_id: string;
        revision: number;
        amount_nanos: string;
        quantity: string;
      }>(
        `SELECT line_id, revision, amount_nanos, quantity FROM tokentally.provider_cost_lines
          WHERE line_id = ANY($1) AND superseded_at IS NULL`,
        [ids.slice(start, start + 20_000)],
      );
      for (const row of rows)
        found.set(row.line_id, {
          revision: row.revision,
          amount: BigInt(row.amount_nanos),
          quantity: BigInt(row.quantity),
        });
    }
    return found;
  }

  /** The current figure of every line used on [from, to] (days, inclusive). */
  async currentLines(from: string, to: string): Promise<StoredCostLine[]> {
    const { rows } = await this.pool.query<LineRow>(
      `${SELECT_LINE} WHERE superseded_at IS NULL AND usage_date BETWEEN $1 AND $2 ORDER BY usage_date, line_id`,
      [from, to],
    );
    return rows.map(storedLineOf);
  }

  /** Restatements on [from, to]: each later revision with what it changed, earliest first. */
  async corrections(from: string, to: string): Promise<(SavedLine & { importedAt: Date })[]> {
    const { rows } = await this.pool.query<LineRow>(
      `${SELECT_LINE} WHERE revision > 1 AND usage_date BETWEEN $1 AND $2 ORDER BY imported_at, line_id`,
      [from, to],
    );
    return rows.map((row) => ({
      line: storedLineOf(row),
      revision: row.revision,
      correctionNanos: BigInt(row.correction_nanos),
      importedAt: row.imported_at,
    }));
  }

  /** Provider-side accounts and projects of the org file. */
  async providerAccounts(): Promise<
    { provider: string; accountId: string; projectId: string; teamId: string }[]
  > {
    const { rows } = await this.pool.query<{
      provider: string;
      account_id: string;
      project_id: string;
      team_id: string;
    }>('SELECT provider, account_id, project_id, team_id FROM tokentally.provider_accounts ORDER BY 1, 2, 3');
    return rows.map((r) => ({
      provider: r.provider,
      accountId: r.account_id,
      projectId: r.project_id,
      teamId: r.team_id,
    }));
  }
}
