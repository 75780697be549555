import type { PricedCallEvent } from '@tokentally/contracts';
import { RollupSums } from './ledger-rollups';

const HOUR = 3_600_000;
const NOV_30_23H = Date.UTC(2026, 10, 30, 23);

function call(
  occurredAt: number,
  totalNanos: number,
  overrides: Partial<PricedCallEvent> = {},
): PricedCallEvent {
  return {
    occurred_at: occurredAt,
    team_id: 'search',
    feature: 'answer',
    workflow: null,
    model: 'gpt-4o',
    provider: 'openai',
    environment: 'prod',
    user_ref: null,
    is_retry: false,
    buckets: {
      uncached_input: 1000,
      cache_read: 0,
      cache_write_5m: 0,
      cache_write_1h: 0,
      output: 10,
      reasoning: 0,
      units: {},
    },
    cost: {
      uncached_input_nanos: totalNanos,
      cache_read_nanos: 0,
      cache_write_5m_nanos: 0,
      cache_write_1h_nanos: 0,
      output_nanos: 0,
      reasoning_nanos: 0,
      request_fee_nanos: 0,
      units_nanos: 0,
      total_nanos: totalNanos,
    },
    ...overrides,
  } as PricedCallEvent;
}

/** params() as rows: grain, period, bucket, then the key and the measures by name. */
function rows(sums: RollupSums): Record<string, string>[] {
  const columns = sums.params() as string[][];
  const names = [
    'grain',
    'period',
    'bucket',
    'team',
    'feature',
    'workflow',
    'model',
    'provider',
    'env',
    'user',
    'template',
    'owner',
    'project',
    'tenant',
  ];
  const measures = [
    'calls',
    'retries',
    'input',
    'read',
    'w5m',
    'w1h',
    'output',
    'reasoning',
    'in$',
    'cache$',
  ];
  const all = [...names, ...measures, 'output$', 'other$', 'total$', 'adjustment$'];
  return (columns[0] ?? []).map((_, row) =>
    Object.fromEntries(all.map((name, c) => [name, columns[c]?.[row] ?? ''])),
  );
}

describe('RollupSums', () => {
  it('adds each call to its hour, hours to their day and days to their month', () => {
    const sums = new RollupSums();
    sums.add(call(NOV_30_23H + 5, 100), '2026-11');
    sums.add(call(NOV_30_23H + 10, 200, { is_retry: true }), '2026-11');
    sums.add(call(NOV_30_23H - HOUR, 300, { user_ref: 'hmac:k1:ab' }), '2026-11');
    sums.add(call(NOV_30_23H - 25 * HOUR, 400), '2026-11');
    // the next month, and a call of the closed November booked late in December
    sums.add(call(NOV_30_23H + HOUR, 500), '2026-12');
    sums.add(call(NOV_30_23H + 20, 600), '2026-12');
    const byGrain = (grain: string) => rows(sums).filter((r) => r.grain === grain);

    expect(
      byGrain('hour').map((r) => [
        r.bucket,
        r.period,
        r.user,
        r.calls,
        r.retries,
        r['total$'],
        r['adjustment$'],
      ]),
    ).toEqual([
      ['2026-11-30T23:00:00.000Z', '2026-11', '', '2', '1', '300', '0'],
      ['2026-11-30T22:00:00.000Z', '2026-11', 'hmac:k1:ab', '1', '0', '300', '0'],
      ['2026-11-29T22:00:00.000Z', '2026-11', '', '1', '0', '400', '0'],
      ['2026-12-01T00:00:00.000Z', '2026-12', '', '1', '0', '500', '0'],
      ['2026-11-30T23:00:00.000Z', '2026-12', '', '1', '0', '600', '600'],
    ]);
    expect(byGrain('day').map((r) => [r.bucket, r.period, r.user, r.calls, r['total$']])).toEqual([
      ['2026-11-30T00:00:00.000Z', '2026-11', '', '2', '300'],
      ['2026-11-30T00:00:00.000Z', '2026-11', 'hmac:k1:ab', '1', '300'],
      ['2026-11-29T00:00:00.000Z', '2026-11', '', '1', '400'],
      ['2026-12-01T00:00:00.000Z', '2026-12', '', '1', '500'],
      ['2026-11-30T00:00:00.000Z', '2026-12', '', '1', '600'],
    ]);
    expect(
      byGrain('month').map((r) => [r.bucket, r.period, r.user, r.calls, r['total$'], r['adjustment$']]),
    ).toEqual([
      ['2026-11-01T00:00:00.000Z', '2026-11', '', '3', '700', '0'],
      ['2026-11-01T00:00:00.000Z', '2026-11', 'hmac:k1:ab', '1', '300', '0'],
      ['2026-12-01T00:00:00.000Z', '2026-12', '', '1', '500', '0'],
      ['2026-11-01T00:00:00.000Z', '2026-12', '', '1', '600', '600'],
    ]);
  });

  it('keys each grain by its own envelope dimensions only', () => {
    const sums = new RollupSums();
    const envelope = (template: string, owner: 'event' | 'api_key', project: string, tenant: string) => ({
      prompt_template_version: template,
      owner_source: owner,
      project_id: project,
      tenant_ref: tenant,
    });
    sums.add(call(NOV_30_23H, 100, envelope('v1', 'event', 'proj-a', 'hmac:k1:t1')), '2026-11');
    sums.add(call(NOV_30_23H + 1, 200, envelope('v2', 'event', 'proj-a', 'hmac:k1:t1')), '2026-11');
    sums.add(call(NOV_30_23H + 2, 400, envelope('v2', 'api_key', 'proj-b', 'hmac:k1:t2')), '2026-11');
    const byGrain = (grain: string) =>
      rows(sums)
        .filter((r) => r.grain === grain)
        .map((r) => [r.template, r.owner, r.project, r.tenant, r['total$']]);
    // the hour keeps its key: one row, every envelope dimension ''
    expect(byGrain('hour')).toEqual([['', '', '', '', '700']]);
    expect(byGrain('day')).toEqual([
      ['v1', 'event', 'proj-a', '', '100'],
      ['v2', 'event', 'proj-a', '', '200'],
      ['v2', 'api_key', 'proj-b', '', '400'],
    ]);
    expect(byGrain('month')).toEqual([
      ['v1', '', '', 'hmac:k1:t1', '100'],
      ['v2', '', '', 'hmac:k1:t1', '200'],
      ['v2', '', '', 'hmac:k1:t2', '400'],
    ]);
  });

  it('stays exact past 2^53 nanos: the sum moves to BigInt instead of rounding', () => {
    const sums = new RollupSums();
    const big = Number.MAX_SAFE_INTEGER - 1; // 9,007,199,254,740,990
    sums.add(call(NOV_30_23H, big), '2026-11');
    sums.add(call(NOV_30_23H, big), '2026-11');
    sums.add(call(NOV_30_23H, 3), '2026-11');
    const hour = rows(sums).find((r) => r.grain === 'hour');
    expect(hour?.['total$']).toBe((2n * BigInt(big) + 3n).toString()); // 18014398509481983
    expect(rows(sums).find((r) => r.grain === 'month')?.['total$']).toBe('18014398509481983');
  });

  it('refuses a non-integer amount rather than summing it', () => {
    const sums = new RollupSums();
    expect(() => sums.add(call(NOV_30_23H, 1.5), '2026-11')).toThrow(RangeError);
  });
});
