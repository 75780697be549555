import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { OrgDeclaration } from '@tokentally/contracts';
import type { OrgSource, OrgTables } from '@tokentally/domain-ledger';
import { BudgetRepository } from '@tokentally/adapters-postgres-budget';

export interface ApplyResult {
  version: bigint;
  changed: boolean;
  counts: {
    teams: number;
    api_keys: number;
    service_accounts: number;
    allocation_rules: number;
    budgets: number;
    request_caps: number;
  };
}

/** The org registry in Postgres: replaced as a whole by `tally org apply`, read by the services' caches. */
export class OrgRepository implements OrgSource {
  constructor(private readonly pool: Pool) {}

  async apply(document: OrgDeclaration): Promise<ApplyResult> {
    const counts = {
      teams: document.teams.length,
      api_keys: document.api_keys.length,
      service_accounts: document.service_accounts.length,
      allocation_rules: document.allocation_rules.length,
      budgets: document.budgets?.length ?? 0,
      request_caps: document.request_caps?.length ?? 0,
    };
    const hash = createHash('sha256')
      .update(JSON.stringify(document, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)))
      .digest('hex');
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // One writer at a time; readers keep seeing the previous registry until COMMIT.
      await client.query('LOCK TABLE tokentally.org_versions IN EXCLUSIVE MODE');
      const latest = await client.query<{ version: bigint; content_hash: string }>(
        'SELECT version, content_hash FROM tokentally.org_versions ORDER BY version DESC LIMIT 1',
      );
      if (latest.rows[0]?.content_hash === hash) {
        await client.query('ROLLBACK');
        return { version: latest.rows[0].version, changed: false, counts };
      }
      await client.query('DELETE FROM tokentally.provider_accounts');
      await client.query('DELETE FROM tokentally.api_keys');
      await client.query('DELETE FROM tokentally.service_accounts');
      await client.query('DELETE FROM tokentally.allocation_rules');
      await client.query('DELETE FROM tokentally.teams');
      await client.query(
        `INSERT INTO tokentally.teams (team_id, name, cost_centre, owner, monthly_budget_nanos)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])`,
        [
          document.teams.map((t) => t.id),
          document.teams.map((t) => t.name),
          document.teams.map((t) => t.cost_centre ?? null),
          document.teams.map((t) => t.owner ?? null),
          document.teams.map((t) => (t.monthly_budget_nanos ?? null)?.toString() ?? null),
        ],
      );
      await client.query(
        'INSERT INTO tokentally.api_keys (api_key_id, team_id) SELECT * FROM UNNEST($1::text[], $2::text[])',
        [document.api_keys.map((k) => k.id), document.api_keys.map((k) => k.team)],
      );
      await client.query(
        'INSERT INTO tokentally.service_accounts (service_account, team_id) SELECT * FROM UNNEST($1::text[], $2::text[])',
        [document.service_accounts.map((s) => s.name), document.service_accounts.map((s) => s.team)],
      );
      const accounts = document.provider_accounts ?? [];
      await client.query(
        `INSERT INTO tokentally.provider_accounts (provider, account_id, project_id, team_id, api_keys)
         SELECT p, a, pr, t, string_to_array(k, ',')::text[] FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS x(p, a, pr, t, k)`,
        [
          accounts.map((a) => a.provider),
          accounts.map((a) => a.account),
          accounts.map((a) => a.project ?? ''),
          accounts.map((a) => a.team),
          accounts.map((a) => a.api_keys.join(',')),
        ],
      );
      await client.query(
        'INSERT INTO tokentally.allocation_rules (rule_id, rule) SELECT * FROM UNNEST($1::text[], $2::jsonb[])',
        [
          document.allocation_rules.map((r) => r.id),
          document.allocation_rules.map((r) => JSON.stringify(r.rule)),
        ],
      );
      // Budgets and caps are part of the same registry version: a file that drops them drops them.
      await new BudgetRepository(this.pool).replaceDeclaration(client, {
        rules: document.budgets ?? [],
        caps: document.request_caps ?? [],
      });
      const inserted = await client.query<{ version: bigint }>(
        'INSERT INTO tokentally.org_versions (content_hash, summary) VALUES ($1, $2) RETURNING version',
        [hash, JSON.stringify(counts)],
      );
      await client.query('COMMIT');
      return { version: inserted.rows[0]?.version ?? 0n, changed: true, counts };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async currentVersion(): Promise<bigint> {
    const { rows } = await this.pool.query<{ version: bigint | null }>(
      'SELECT max(version) AS version FROM tokentally.org_versions',
    );
    return rows[0]?.version ?? 0n;
  }

  /** A consistent snapshot (one REPEATABLE READ transaction) for the attribution cache. */
  async load(): Promise<OrgTables> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const version = await client.query<{ version: bigint | null }>(
        'SELECT max(version) AS version FROM tokentally.org_versions',
      );
      const teams = await client.query<{ team_id: string }>('SELECT team_id FROM tokentally.teams');
      const keys = await client.query<{ api_key_id: string; team_id: string }>(
        'SELECT api_key_id, team_id FROM tokentally.api_keys',
      );
      const accounts = await client.query<{ service_account: string; team_id: string }>(
        'SELECT service_account, team_id FROM tokentally.service_accounts',
      );
      await client.query('COMMIT');
      return {
        version: version.rows[0]?.version ?? 0n,
        teams: teams.rows.map((r) => r.team_id),
        apiKeys: keys.rows.map((r) => [r.api_key_id, r.team_id]),
        serviceAccounts: accounts.rows.map((r) => [r.service_account, r.team_id]),
      };
    } finally {
      client.release();
    }
  }
}
