import { TOPICS, type PricedCallEvent } from '@tokentally/contracts';
import { formatUsd, divideHalfEven } from '@tokentally/domain-money';
import { LedgerRepository } from '@tokentally/adapters-postgres-ledger';
import { createPool, migrate } from '@tokentally/platform-db';
import { buildEnrichedCallEvent, KafkaHarness, stackEnv, waitUntil } from '@tokentally/testing';
import {
  A,
  applyOrg,
  at,
  B,
  cleanUp,
  ACCOUNT,
  FINANCE,
  PERIOD,
  PREVIOUS,
  priced,
  RUN,
  SHARED,
  TEAM_A,
  teamBCalls,
} from './console-fixture';
import { ConsoleBrowser, shot, show, testid } from './console-browser';
import { oldA, retriesB, seed, spikeA, unseed, WEEK } from './console-seed';
import { ServiceProcess } from './service-process';
import { tally } from './tally';

const GROUP = `it-console-${RUN}`;
const PAGES = ['overview', 'burn', 'efficiency', 'anomalies', 'reconciliation', 'coverage', 'ops'] as const;

interface StatementJson {
  teams: { team_id: string; name: string; total_nanos: string }[];
  totals: { total_nanos: string };
}

describe('the web console in a real browser (headless Chromium)', () => {
  const pool = createPool({ connectionString: stackEnv.databaseUrl, max: 3 });
  const harness = new KafkaHarness();
  const service = new ServiceProcess('chargeback-exporter', 3216, {
    DATABASE_URL: stackEnv.databaseUrl,
    CHARGEBACK_API_TOKENS: `${FINANCE}:finance,${TEAM_A}:team:${A}`,
    CONSOLE_CONSUMER_GROUPS: GROUP,
    CONSOLE_STATUS_REFRESH_MS: '1000',
    LOG_LEVEL: 'warn',
  });
  const teamB = teamBCalls();
  const current: PricedCallEvent[] = [
    ...Array.from({ length: 60 }, (_, n) => priced(n, { team_id: A, occurred_at: at(PERIOD, 1 + (n % 27)) })),
    ...teamB,
    ...Array.from({ length: 12 }, (_, n) => priced(n, { team_id: SHARED, occurred_at: at(PERIOD, 3) })),
    ...Array.from({ length: 7 }, (_, n) =>
      priced(n, { team_id: 'unattributed', occurred_at: at(PERIOD, 4) }),
    ),
  ];
  const previous = Array.from({ length: 40 }, (_, n) =>
    priced(n, { team_id: A, occurred_at: at(PREVIOUS, 5) }),
  );
  // team A's calls of the last hours: the Ops page's throughput (its rows go with the team's in cleanUp)
  const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  const recent = Array.from({ length: 9 }, (_, n) =>
    priced(n, { team_id: A, occurred_at: hour - (1 + (n % 3) * 2) * 3_600_000 + n * 1000 }),
  );
  // three calls waiting for a pricer that is not running: the ledger is complete through just before the oldest
  const oldestInFlight = Math.floor(Date.now() / 1000) * 1000 - 7_200_000;
  const browser = new ConsoleBrowser(() => service.url);
  const usd = (nanos: string): string => formatUsd(BigInt(nanos));
  const signed = (nanos: string): string => (BigInt(nanos) > 0n ? `+${usd(nanos)}` : usd(nanos));

  const api = async <T>(url: string, token = FINANCE): Promise<T> => {
    const response = await fetch(`${service.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    await harness.start();
    await migrate(pool);
    applyOrg();
    const ledger = new LedgerRepository(pool);
    expect(await ledger.record(current)).toMatchObject({ inserted: current.length });
    expect(await ledger.record(previous)).toMatchObject({ inserted: previous.length });
    expect(await ledger.record(recent)).toMatchObject({ inserted: recent.length });
    // alerts, a provider bill reconciled against the ledger above, quarantined events
    await seed(pool);
    await harness.skipToEnd(GROUP, TOPICS.enrichedCalls.name);
    await harness.producer.send(
      TOPICS.enrichedCalls,
      [0, 1, 2].map((n) => {
        const value = buildEnrichedCallEvent(n, {
          trace_id: `${RUN}-in-flight-${n}`,
          occurred_at: oldestInFlight + n * 60_000,
        });
        return { key: value.trace_id, value };
      }),
    );
    service.start();
    await service.healthy();
    await browser.start();
  }, 120_000);

  afterAll(async () => {
    await browser.stop();
    await service.stop();
    await harness.admin.deleteGroups([GROUP]).catch(() => undefined);
    await harness.stop();
    await cleanUp(pool);
    await unseed(pool);
    await pool.end();
  });

  it('GET /v1/status and the metric: complete through the instant before the oldest call in flight', async () => {
    const expected = new Date(oldestInFlight - 1).toISOString();
    const status = await waitUntil('status with the calls in flight', async () => {
      const body = await api<{ ledger: { complete_through: string; basis: string; in_flight: number } }>(
        '/v1/status',
      );
      return body.ledger.basis === 'in_flight' && body;
    });
    expect(status.ledger).toMatchObject({ complete_through: expected, in_flight: 3 });
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`tokentally_ledger_complete_through_seconds\\{[^}]*\\} ${(oldestInFlight - 1) / 1000}\\b`),
    );
    // the terminal says the same: per group and for the ledger
    const lag = tally('lag', '--group', GROUP);
    const through = `${expected.slice(0, 19).replace('T', ' ')} UTC`;
    expect(lag).toMatch(
      new RegExp(`${GROUP}\\s+${TOPICS.enrichedCalls.name.replace(/\./g, '\\.')}\\s+all\\s+3\\s+${through}`),
    );
    expect(lag).toContain(`ledger complete through ${through} (3 calls in flight)`);
  });

  it('finance: every page loads without console errors, totals equal the statement to the cent', async () => {
    const statement = await api<StatementJson>(`/v1/statements/${PERIOD}`);
    const { context, page, errors } = await browser.signIn(FINANCE, `#/overview?period=${PERIOD}`);
    // first-page render time with a token in the session: navigation start to the page's data on screen
    await page.reload();
    await page.waitForSelector('body[data-ready="true"][data-page="overview"]');
    const rendered = await page.evaluate(
      () => performance.getEntriesByName('tokentally:first-render')[0]?.startTime,
    );
    console.log(
      `console: first page (overview, ${current.length} calls) rendered in ${Math.round(rendered ?? NaN)} ms`,
    );

    expect(await page.textContent('[data-testid="grand-total"]')).toBe(
      formatUsd(BigInt(statement.totals.total_nanos)),
    );
    for (const team of statement.teams)
      expect(await page.textContent(`[data-testid="total-${team.team_id}"]`)).toBe(
        formatUsd(BigInt(team.total_nanos)),
      );
    await shot(page, 'overview');

    const teamA = statement.teams.find((t) => t.team_id === A);
    await show(page, 'burn', `#/burn?period=${PERIOD}&team=${A}`);
    expect(await page.textContent('[data-testid="burn-spent"]')).toBe(
      formatUsd(BigInt(teamA?.total_nanos ?? '')),
    );
    const dearest = await api<{ top_traces: { trace_id: string; total_nanos: string }[] }>(
      `/v1/burn/${PERIOD}?team=${A}`,
    );
    await page.click(`button.link:text("${dearest.top_traces[0]?.trace_id}")`);
    await page.waitForSelector('[data-testid="trace-total"]');
    expect(await page.textContent('[data-testid="trace-total"]')).toContain(
      formatUsd(BigInt(dearest.top_traces[0]?.total_nanos ?? '')),
    );
    // the chart is uPlot's (a canvas), and the exact table beside it has every day of the route
    expect(await page.locator('.uplot-chart .uplot canvas').count()).toBe(1);
    const burn = await api<{ days: { day: string; nanos: string }[] }>(`/v1/burn/${PERIOD}?team=${A}`);
    for (const day of burn.days) expect(await testid(page, `day-${day.day}`)).toBe(usd(day.nanos));
    await shot(page, 'burn');

    // cost per successful outcome: all 25 of team B's calls over the 10 requests that succeeded
    const costB = teamB.reduce((s, e) => s + BigInt(e.cost.total_nanos), 0n);
    const efficiency = await api<{
      lines: {
        model: string;
        feature: string;
        cost_per_success_nanos: string;
        traces: string;
        succeeded_traces: string;
        short_calls: string;
      }[];
    }>(`/v1/efficiency/${PERIOD}?team=${B}`);
    expect(efficiency.lines).toEqual([
      expect.objectContaining({
        model: 'gpt-4o',
        feature: 'answers',
        traces: '15',
        succeeded_traces: '10',
        cost_per_success_nanos: divideHalfEven(costB, 10n).toString(),
        // short: succeeded, with some but under 1,000 tokens (reasoning is inside output)
        short_calls: String(
          teamB.filter((e) => {
            const b = e.buckets;
            const tokens = b.uncached_input + b.cache_read + b.cache_write_5m + b.cache_write_1h + b.output;
            return (e.status_code ?? 200) < 400 && tokens > 0 && tokens < 1000;
          }).length,
        ),
      }),
    ]);
    await show(page, 'efficiency', `#/efficiency?period=${PERIOD}&team=${B}`);
    expect(await page.textContent('main table')).toContain('10 / 15');
    await shot(page, 'efficiency');

    await show(page, 'ops', `#/ops?period=${PERIOD}`);
    expect(await page.textContent('[data-testid="complete-through"]')).toContain(
      `Ledger complete through ${new Date(oldestInFlight - 1).toISOString().slice(11, 19)} UTC`,
    );
    expect(await page.locator('.uplot-chart .uplot canvas').count()).toBe(1);
    const ops = await api<{ hours: { hour: string; calls: string }[] }>('/v1/ops/summary?hours=24');
    expect(ops.hours.length).toBeGreaterThanOrEqual(3);
    // the page groups thousands (other suites' calls share these hours when the whole suite runs)
    const grouped = (n: string): string => n.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    for (const row of ops.hours.slice(-12))
      expect(await testid(page, `calls-${row.hour}`)).toBe(grouped(row.calls));
    await shot(page, 'ops');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('finance: alerts, digest, reconciliation and coverage on screen equal their routes to the cent', async () => {
    const { context, page, errors } = await browser.signIn(FINANCE, `#/anomalies?period=${PERIOD}`);
    type Detail = { delta_nanos: string; observed_nanos: string; explanation: string; drivers: unknown[] };
    for (const alert of [spikeA, retriesB, oldA]) {
      const detail = await api<Detail>(`/v1/alerts/${alert.alert_id}`);
      const item = page.locator(`[data-testid="alert-${alert.alert_id}"]`);
      expect(await item.locator('.alert-title').textContent()).toBe(detail.explanation);
      expect(await testid(page, `delta-${alert.alert_id}`)).toBe(signed(detail.delta_nanos));
      expect(await testid(page, `observed-${alert.alert_id}`)).toBe(usd(detail.observed_nanos));
      // one row per driver, each with its exact amount
      expect(await item.locator('tbody tr').count()).toBe(detail.drivers.length);
      for (const d of alert.drivers)
        expect(await item.textContent()).toContain(signed(String(d.delta_nanos)));
    }
    expect(await page.locator('section', { hasText: 'Resolved' }).textContent()).toContain(oldA.explanation);
    const digestWeek = await page.inputValue('#week');
    const digest = await api<{ totals: { spend_nanos: string } }>(`/v1/digest?week=${digestWeek}`);
    expect(await testid(page, 'digest-spend')).toBe(usd(digest.totals.spend_nanos));
    await shot(page, 'anomalies');

    type Recon = { status: string; provider_nanos: string; ledger_nanos: string; delta_nanos: string };
    const recon = await api<Recon & { open_by_class: Record<string, string> }>(
      `/v1/reconciliation/${PERIOD}`,
    );
    expect(recon.status).not.toBe('none');
    await show(page, 'reconciliation', `#/reconciliation?period=${PERIOD}`);
    expect(await testid(page, 'recon-provider')).toBe(usd(recon.provider_nanos));
    expect(await testid(page, 'recon-ledger')).toBe(usd(recon.ledger_nanos));
    expect(await testid(page, 'recon-delta')).toBe(signed(recon.delta_nanos));
    for (const [cls, nanos] of Object.entries(recon.open_by_class))
      expect(await testid(page, `recon-class-${cls}`)).toBe(signed(nanos));
    const { days } = await api<{
      days: { usage_date: string; provider: string; account_id: string; delta_nanos: string }[];
    }>(`/v1/reconciliation/${PERIOD}/days`);
    expect(days.length).toBeGreaterThan(0);
    for (const day of days)
      expect(await testid(page, `recon-day-${day.usage_date}-${day.provider}-${day.account_id}`)).toBe(
        signed(day.delta_nanos),
      );
    expect(await page.textContent('main')).toContain(ACCOUNT);
    await shot(page, 'reconciliation');

    type Coverage = {
      unattributed_nanos: string;
      broken_hops: { hop: string; value: string | null; nanos: string }[];
      quarantine: { estimated_nanos: string; reasons: { reason: string; count: string }[] };
    };
    const coverage = await api<Coverage>(`/v1/coverage?week=${WEEK}`);
    await show(page, 'coverage', `#/coverage?period=${PERIOD}&week=${WEEK}`);
    expect(await testid(page, 'unattributed-spend')).toBe(usd(coverage.unattributed_nanos));
    expect(coverage.broken_hops.length).toBeGreaterThan(0);
    for (const hop of coverage.broken_hops)
      expect(await testid(page, `hop-${hop.hop}-${hop.value}`)).toBe(usd(hop.nanos));
    expect(coverage.quarantine.reasons.map((r) => [r.reason, r.count])).toEqual(
      expect.arrayContaining([
        ['MISSING_OWNER', '3'],
        ['UNKNOWN_RATE', '1'],
      ]),
    );
    expect(await testid(page, 'quarantine-MISSING_OWNER')).toBe('3');
    expect(await testid(page, 'quarantine-estimate')).toBe(usd(coverage.quarantine.estimated_nanos));
    await shot(page, 'coverage');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a team token sees its own team only, and is refused another team's pages", async () => {
    const { context, page, errors } = await browser.signIn(TEAM_A, `#/overview?period=${PERIOD}`);
    const mine = await api<StatementJson>(`/v1/statements/${PERIOD}`, TEAM_A);
    expect(mine.teams.map((t) => t.team_id)).toEqual([A]);
    const cells = page.locator('[data-testid^="total-"]');
    expect(await cells.count()).toBe(1);
    expect(await cells.first().getAttribute('data-testid')).toBe(`total-${A}`);
    expect(await page.textContent('[data-testid="grand-total"]')).toBe(
      formatUsd(BigInt(mine.totals.total_nanos)),
    );
    const text = (await page.textContent('main')) ?? '';
    for (const other of [B, SHARED, `Support ${RUN}`, `Platform ${RUN}`, 'Unattributed'])
      expect(text).not.toContain(other);
    expect(await page.$('#team')).toBeNull();
    await shot(page, 'team-overview');
    // every page of its own team without an error; coverage says it is finance-only instead of asking
    for (const name of PAGES) {
      await show(page, name, `#/${name}?period=${PERIOD}`);
      const main = (await page.textContent('main')) ?? '';
      expect([name, main.includes(B) || main.includes(retriesB.explanation)]).toEqual([name, false]);
      if (name === 'coverage') expect(await testid(page, 'finance-only')).toContain('finance tokens only');
      await shot(page, `team-${name}`);
    }
    expect(errors).toEqual([]);
    await show(page, 'anomalies', `#/anomalies?period=${PERIOD}`);
    expect(await page.textContent('main')).toContain(spikeA.explanation);
    for (const name of ['burn', 'efficiency'] as const) {
      await show(page, name, `#/${name}?period=${PERIOD}&team=${B}`);
      expect(await page.textContent('main [role="alert"]')).toContain(`this token may only read team ${A}`);
    }
    // the 403s above are the server refusing, logged by the browser as failed loads; nothing else may fail
    expect(errors.filter((e) => !/status of 403/.test(e))).toEqual([]);
    expect(PAGES.length).toBe(7);
    await context.close();
  });
});
