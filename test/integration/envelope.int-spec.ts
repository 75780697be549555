import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TOPICS } from '@tokentally/contracts';
import { pseudonymise } from '@tokentally/domain-enrichment';
import { periodOf } from '@tokentally/domain-ledger';
import { createPool, migrate } from '@tokentally/platform-db';
import { KafkaHarness, stackEnv, waitUntil } from '@tokentally/testing';
import { ServiceProcess } from './service-process';
import { tally } from './tally';

const RUN = randomBytes(4).toString('hex');
const TOKEN = `envelope-ingest-token-${RUN}-0000`; // 24+ chars: INGEST_TOKENS refuses shorter
const TEAM = `it-envelope-${RUN}`;
const KEY_ID = 'itenv';
const SECRET = `envelope-pseudonym-secret-${RUN}-0000`;
const GROUPS = { enricher: 'it-envelope-enricher', pricer: 'it-envelope-pricer' };
const OCCURRED_AT = Date.now() - 60_000;
const PERIOD = periodOf(OCCURRED_AT);
/** The tenant pseudonym as the enricher computes it (HMAC-SHA256 with the key it was given). */
const tenantRef = (tenant: string): string => pseudonymise(tenant, { id: KEY_ID, secret: SECRET }) as string;

/** One call of the run sent over HTTP ingest, with the ownership envelope set. */
function call(n: number, envelope: Record<string, string | null>): Record<string, unknown> {
  return {
    event_id: `${RUN}-env-${n}`,
    trace_id: `${RUN}-env-trace`,
    provider_request_id: `chatcmpl-${RUN}-${n}`,
    occurred_at: new Date(OCCURRED_AT + n).toISOString(),
    team_id: TEAM,
    feature: 'envelope',
    environment: 'prod',
    provider: 'openai',
    model: 'gpt-4o',
    usage: { input_tokens: 1000 * (n + 1), output_tokens: 100 },
    ...envelope,
  };
}

describe('the ownership envelope reaches the ledger and the rollups (HTTP ingest -> enricher -> pricer)', () => {
  const pool = createPool({ connectionString: stackEnv.databaseUrl, max: 2 });
  const harness = new KafkaHarness();
  const enricher = new ServiceProcess('enricher', 3220, {
    DATABASE_URL: stackEnv.databaseUrl,
    INGEST_TOKENS: TOKEN,
    OWNER_ENFORCEMENT: 'soft',
    PSEUDONYM_KEY_ID: KEY_ID,
    PSEUDONYM_SECRET: SECRET,
    LOG_LEVEL: 'warn',
    KAFKA_CONSUMER_GROUP: GROUPS.enricher,
  });
  const pricer = new ServiceProcess('pricer', 3221, {
    DATABASE_URL: stackEnv.databaseUrl,
    LOG_LEVEL: 'warn',
    KAFKA_CONSUMER_GROUP: GROUPS.pricer,
  });
  const calls = [
    call(0, {
      prompt_template_version: `answer-v7-${RUN}`,
      tenant_id: `tenant-a-${RUN}`,
      api_key_id: `key-a-${RUN}`,
      request_source: 'cron',
      project_id: `proj_${RUN}`,
      service_account: `svc-${RUN}`,
      gateway_id: `litellm-${RUN}`,
    }),
    call(1, {
      prompt_template_version: `answer-v8-${RUN}`,
      tenant_id: `tenant-b-${RUN}`,
      api_key_id: `key-b-${RUN}`,
      request_source: 'ui',
    }),
    // no team on the event: the registry's api key names it
    call(2, {
      team_id: null,
      api_key_id: `key-owned-${RUN}`,
      prompt_template_version: `answer-v8-${RUN}`,
      tenant_id: `tenant-b-${RUN}`,
    }),
    // no team: soft enforcement books it as unattributed, and the ledger says so
    call(3, { team_id: null, api_key_id: `key-unowned-${RUN}`, gateway_id: `litellm-${RUN}` }),
  ];

  beforeAll(async () => {
    await migrate(pool);
    // the registry the enricher resolves owners from (loaded at start): this run's team and api key
    const org = path.join(mkdtempSync(path.join(tmpdir(), 'org-')), 'org.yaml');
    writeFileSync(
      org,
      `teams:\n  - { id: ${TEAM}, name: Envelope ${RUN} }\napi_keys:\n  - { id: key-owned-${RUN}, team: ${TEAM} }\n`,
    );
    tally('org', 'apply', org);
    await harness.start();
    await harness.skipToEnd(GROUPS.enricher, TOPICS.rawCalls.name);
    await harness.skipToEnd(GROUPS.pricer, TOPICS.enrichedCalls.name);
    enricher.start();
    pricer.start();
    await Promise.all([enricher.healthy(), pricer.healthy()]);
    const response = await fetch(`${enricher.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(calls),
    });
    expect(await response.json()).toMatchObject({ accepted: calls.length });
    await waitUntil(
      'the run booked in the ledger',
      async () => {
        const { rows } = await pool.query<{ n: bigint }>(
          'SELECT count(*) AS n FROM tokentally.ledger WHERE trace_id = $1',
          [`${RUN}-env-trace`],
        );
        return rows[0]?.n === BigInt(calls.length);
      },
      90_000,
      300,
    ).catch((error: unknown) => {
      throw new Error(
        `${(error as Error).message}; enricher: ${enricher.output.join('').slice(-2000)}; pricer: ${pricer.output.join('').slice(-2000)}`,
      );
    });
  }, 180_000);
  afterAll(async () => {
    await Promise.all([enricher.stop(), pricer.stop()]);
    await harness.stop();
    await pool.end();
  });

  const eventIdsWhere = async (column: string, value: string): Promise<string[]> => {
    const { rows } = await pool.query<{ event_id: string }>(
      `SELECT event_id FROM tokentally.ledger WHERE ${column} = $1 ORDER BY event_id`,
      [value],
    );
    return rows.map((row) => row.event_id);
  };

  it('finds a call by each part of its envelope', async () => {
    const id = (n: number): string => `${RUN}-env-${n}`;
    expect(await eventIdsWhere('prompt_template_version', `answer-v7-${RUN}`)).toEqual([id(0)]);
    expect(await eventIdsWhere('prompt_template_version', `answer-v8-${RUN}`)).toEqual([id(1), id(2)]);
    expect(await eventIdsWhere('tenant_ref', tenantRef(`tenant-a-${RUN}`))).toEqual([id(0)]);
    expect(await eventIdsWhere('tenant_ref', tenantRef(`tenant-b-${RUN}`))).toEqual([id(1), id(2)]);
    expect(await eventIdsWhere('api_key_id', `key-a-${RUN}`)).toEqual([id(0)]);
    expect(await eventIdsWhere('api_key_id', `key-owned-${RUN}`)).toEqual([id(2)]);
    expect(await eventIdsWhere('api_key_id', `key-unowned-${RUN}`)).toEqual([id(3)]);
    expect(await eventIdsWhere('request_source', 'cron')).toContain(id(0));
    expect(await eventIdsWhere('project_id', `proj_${RUN}`)).toEqual([id(0)]);
    expect(await eventIdsWhere('service_account', `svc-${RUN}`)).toEqual([id(0)]);
    expect(await eventIdsWhere('gateway_id', `litellm-${RUN}`)).toEqual([id(0), id(3)]);
    expect(await eventIdsWhere('provider_request_id', `chatcmpl-${RUN}-1`)).toEqual([id(1)]);
    const { rows } = await pool.query<{ event_id: string; owner_source: string; team_id: string }>(
      'SELECT event_id, owner_source, team_id FROM tokentally.ledger WHERE trace_id = $1 ORDER BY event_id',
      [`${RUN}-env-trace`],
    );
    expect(rows.map((row) => [row.owner_source, row.team_id])).toEqual([
      ['event', TEAM],
      ['event', TEAM],
      ['api_key', TEAM],
      ['unattributed', 'unattributed'],
    ]);
    // raw tenant ids never reach the ledger
    const raw = await pool.query('SELECT 1 FROM tokentally.ledger WHERE tenant_ref LIKE $1', [`%${RUN}%`]);
    expect(raw.rowCount).toBe(0);
  });

  it('keeps the envelope in the rollups that report on it, to the nano', async () => {
    const { rows } = await pool.query<{ template: string; owner: string; project: string; total: bigint }>(
      `SELECT prompt_template_version AS template, owner_source AS owner, project_id AS project,
              sum(total_nanos)::bigint AS total
         FROM tokentally.rollup_daily WHERE team_id = $1 GROUP BY 1, 2, 3 ORDER BY 1`,
      [TEAM],
    );
    const ledger = await pool.query<{ template: string; owner: string; project: string; total: bigint }>(
      `SELECT prompt_template_version AS template, owner_source AS owner, coalesce(project_id, '') AS project,
              sum(total_nanos)::bigint AS total
         FROM tokentally.ledger WHERE team_id = $1 GROUP BY 1, 2, 3 ORDER BY 1, 2`,
      [TEAM],
    );
    expect(ledger.rows.map((row) => [row.template, row.owner, row.project])).toEqual([
      [`answer-v7-${RUN}`, 'event', `proj_${RUN}`],
      [`answer-v8-${RUN}`, 'api_key', ''],
      [`answer-v8-${RUN}`, 'event', ''],
    ]);
    // ORDER BY 1 alone: sort the rollup rows the same way
    rows.sort((a, b) => (a.template + a.owner < b.template + b.owner ? -1 : 1));
    expect(rows.map((row) => [row.template, row.owner, row.project, row.total])).toEqual(
      ledger.rows.map((row) => [row.template, row.owner, row.project, row.total]),
    );
    const byTemplate = new Map<string, bigint>();
    for (const row of ledger.rows)
      byTemplate.set(row.template, (byTemplate.get(row.template) ?? 0n) + row.total);
    const monthly = await pool.query<{ tenant: string; total: bigint }>(
      `SELECT tenant_ref AS tenant, sum(total_nanos)::bigint AS total FROM tokentally.rollup_monthly
        WHERE team_id = $1 GROUP BY 1 ORDER BY 2`,
      [TEAM],
    );
    expect(monthly.rows.map((row) => [row.tenant, row.total])).toEqual(
      [
        [tenantRef(`tenant-a-${RUN}`), byTemplate.get(`answer-v7-${RUN}`)],
        [tenantRef(`tenant-b-${RUN}`), byTemplate.get(`answer-v8-${RUN}`)],
      ].sort((a, b) => ((a[1] as bigint) < (b[1] as bigint) ? -1 : 1)),
    );
  });

  it('tally report --by template_version (and tenant, owner_source, project) prints the cost per value', async () => {
    const { rows } = await pool.query<{ template: string; total: bigint }>(
      `SELECT prompt_template_version AS template, sum(total_nanos)::bigint AS total
         FROM tokentally.ledger WHERE team_id = $1 GROUP BY 1`,
      [TEAM],
    );
    const byTemplate = tally('report', '--period', PERIOD, '--by', 'template_version', '--team', TEAM);
    expect(byTemplate).toContain(`${PERIOD}: cost by template_version, team ${TEAM}`);
    for (const row of rows)
      expect(byTemplate).toMatch(
        new RegExp(`^${row.template}\\s+\\d+\\s+\\$[\\d,.]+\\s+${row.total}\\s`, 'm'),
      );
    const total = rows.reduce((sum, row) => sum + row.total, 0n);
    expect(byTemplate).toMatch(new RegExp(`^total\\s+3\\s+\\$[\\d,.]+\\s+${total}\\s+100\\.00%`, 'm'));

    const json = JSON.parse(
      tally('report', '--period', PERIOD, '--by', 'tenant', '--team', TEAM, '--format', 'json'),
    ) as { rows: { value: string; calls: string }[] };
    expect(json.rows.map((row) => [row.value, row.calls]).sort()).toEqual(
      [
        [tenantRef(`tenant-a-${RUN}`), '1'],
        [tenantRef(`tenant-b-${RUN}`), '2'],
      ].sort(),
    );
    const byOwner = tally('report', '--period', PERIOD, '--by', 'owner_source', '--team', TEAM);
    expect(byOwner).toMatch(new RegExp(`^event\\s+2\\s`, 'm'));
    expect(byOwner).toMatch(new RegExp(`^api_key\\s+1\\s`, 'm'));
    expect(tally('report', '--period', PERIOD, '--by', 'project', '--team', TEAM)).toMatch(
      new RegExp(`^proj_${RUN}\\s+1\\s`, 'm'),
    );
    expect(() => tally('report', '--period', PERIOD, '--by', 'colour')).toThrow(/--by must be one of/);
  });
});
