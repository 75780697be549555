import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import type { EnrichedCallEvent, PricedCallEvent } from '@tokentally/contracts';
import { PriceCatalog, priceEnrichedCall, rateBookFrom } from '@tokentally/domain-pricing';
import { buildEnrichedCallEvent } from '@tokentally/testing';
import { tally } from './tally';

/** The console suite's own teams, a past month of their own, and priced calls with planted outcomes. */
export const RUN = randomBytes(4).toString('hex');
export const A = `con-a-${RUN}`;
export const B = `con-b-${RUN}`;
export const SHARED = `con-shared-${RUN}`;
export const FINANCE = `console-finance-${RUN}`;
export const TEAM_A = `console-team-a-${RUN}`;
/** Team A's provider account, billed by console-seed.ts. */
export const ACCOUNT = `org-con-${RUN}`;
const YEAR = 1970 + (parseInt(RUN.slice(0, 4), 16) % 30);
const MONTH = 2 + (parseInt(RUN.slice(4), 16) % 11);
export const PERIOD = `${YEAR}-${String(MONTH).padStart(2, '0')}`;
export const PREVIOUS = `${YEAR}-${String(MONTH - 1).padStart(2, '0')}`;
export const at = (period: string, day: number, hour = 12): number =>
  Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5)) - 1, day, hour);
const book = rateBookFrom([], [], new PriceCatalog());

export function priced(
  n: number,
  overrides: Partial<EnrichedCallEvent> & { team_id: string },
): PricedCallEvent {
  const outcome = priceEnrichedCall(
    buildEnrichedCallEvent(n, {
      event_id: `${RUN}-${overrides.team_id}-${n}-${overrides.occurred_at ?? 0}`,
      trace_id: `${RUN}-trace-${overrides.team_id}-${n}`,
      owner_source: overrides.team_id === 'unattributed' ? 'unattributed' : 'event',
      ...overrides,
    }),
    book,
    Date.now(),
  );
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.value;
}

/**
 * Team B's calls: 10 requests that fail once (500) and succeed on a retry, 5 that only fail (429), all
 * gpt-4o on feature "answers": cost per successful outcome = all 25 calls / 10 requests.
 */
export function teamBCalls(): PricedCallEvent[] {
  const calls: PricedCallEvent[] = [];
  const gpt = { team_id: B, feature: 'answers', provider: 'openai', model: 'gpt-4o' } as const;
  for (let r = 0; r < 15; r += 1) {
    const trace_id = `${RUN}-b-request-${r}`;
    const occurred_at = at(PERIOD, 2 + (r % 20));
    calls.push(
      priced(r * 2, {
        ...gpt,
        trace_id,
        occurred_at,
        attempt: 1,
        is_retry: false,
        status_code: r < 10 ? 500 : 429,
      }),
    );
    if (r < 10)
      calls.push(
        priced(r * 2 + 1, {
          ...gpt,
          trace_id,
          occurred_at: occurred_at + 1000,
          attempt: 2,
          is_retry: true,
          status_code: 200,
        }),
      );
  }
  return calls;
}

export function applyOrg(): void {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'org-')), 'org.yaml');
  writeFileSync(
    file,
    `teams:
  - { id: ${A}, name: Search ${RUN}, cost_centre: CC-100, owner: alice@example.com, monthly_budget_usd: "2" }
  - { id: ${B}, name: Support ${RUN}, cost_centre: CC-200 }
  - { id: ${SHARED}, name: Platform ${RUN} }
allocation_rules:
  - { id: shared-${RUN}, source_team: ${SHARED}, method: proportional, targets: [${A}, ${B}] }
provider_accounts:
  - { provider: anthropic, account: ${ACCOUNT}, team: ${A} }
`,
  );
  tally('org', 'apply', file);
}

/** Removes the suite's ledger rows and rollups (the period is its own). */
export async function cleanUp(pool: Pool): Promise<void> {
  await pool.query(
    `DELETE FROM tokentally.ledger_event_keys k USING tokentally.ledger l
      WHERE l.event_id = k.event_id AND l.occurred_at = k.occurred_at
        AND (l.team_id = ANY($1) OR (l.team_id = 'unattributed' AND l.period = ANY($2)))`,
    [
      [A, B, SHARED],
      [PERIOD, PREVIOUS],
    ],
  );
  for (const table of ['ledger', 'rollup_hourly', 'rollup_daily', 'rollup_monthly']) {
    await pool.query(`DELETE FROM tokentally.${table} WHERE team_id = ANY($1)`, [[A, B, SHARED]]);
    await pool.query(`DELETE FROM tokentally.${table} WHERE team_id = 'unattributed' AND period = ANY($1)`, [
      [PERIOD, PREVIOUS],
    ]);
  }
}
