import { randomUUID } from 'node:crypto';
import { createRedisClient } from '@tokentally/platform-redis';
import { stackEnv } from '@tokentally/testing';
import { RedisBudgetStore } from '@tokentally/adapters-redis-budget';

// Two clients stand for two replicas of the service: the scripts must hold the budget across both.
describe('budget counters in the real Redis: atomic across replicas, idempotent commits', () => {
  const clients = [createRedisClient(stackEnv.redisUrl), createRedisClient(stackEnv.redisUrl)];
  const prefix = `it-budget-${randomUUID().slice(0, 8)}`;
  const stores = clients.map((client) => new RedisBudgetStore(client, prefix));
  const [one, two] = stores as [RedisBudgetStore, RedisBudgetStore];
  const PERIOD = '2026-11';
  const NOW = Date.UTC(2026, 10, 20);
  const scope = 'team:support';
  const limit = 1_000_000_000n; // $1

  beforeAll(async () => {
    await Promise.all(clients.map((client) => client.connect()));
  });
  afterAll(async () => {
    const keys = await clients[0]!.keys(`${prefix}*`);
    if (keys.length > 0) await clients[0]!.del(...keys);
    await Promise.all(clients.map((client) => client.quit()));
  });

  it('decides nothing before the period is seeded from the ledger', async () => {
    const result = await one.reserve('1999-01', 'x', 1n, NOW, NOW + 60_000, [
      { scope, limitNanos: limit, hard: true },
    ]);
    expect(result.status).toBe('unseeded');
  });

  it('200 concurrent callers on two replicas never reserve past a hard budget', async () => {
    await one.refresh(PERIOD, new Map([[scope, 0n]]), []);
    const estimates = Array.from({ length: 200 }, (_, i) =>
      BigInt(5_000_000 + ((i * 7919) % 20) * 1_000_000),
    );
    const results = await Promise.all(
      estimates.map((estimate, i) =>
        stores[i % 2]!.reserve(PERIOD, `call-${i}`, estimate, NOW, NOW + 600_000, [
          { scope, limitNanos: limit, hard: true },
        ]),
      ),
    );
    const granted = estimates.filter((_, i) => results[i]!.status === 'reserved');
    const reservedTotal = granted.reduce((a, b) => a + b, 0n);
    expect(reservedTotal).toBeLessThanOrEqual(limit);
    expect(results.some((r) => r.status === 'denied')).toBe(true);
    // every denial saw a full budget: what it would have added does not fit
    results.forEach((result, i) => {
      if (result.status !== 'denied') return;
      const seen = result.counters.get(scope)!;
      expect(seen.spentNanos + seen.reservedNanos + estimates[i]!).toBeGreaterThan(limit);
    });
    expect(BigInt((await clients[0]!.get(`${prefix}:{${PERIOD}}:${scope}:reserved`)) ?? '0')).toBe(
      reservedTotal,
    );

    // commits (twice, from both replicas: a redelivery) free every reservation once and count each call once
    const calls = estimates
      .map((estimate, i) => ({ eventId: `call-${i}`, actualNanos: estimate / 2n, scopes: [scope] }))
      .filter((_, i) => results[i]!.status === 'reserved');
    expect(await one.commit(PERIOD, calls)).toBe(calls.length);
    expect(await two.commit(PERIOD, calls)).toBe(0);
    const counter = async (name: string): Promise<bigint> =>
      BigInt((await clients[0]!.get(`${prefix}:{${PERIOD}}:${scope}:${name}`)) ?? '0');
    expect(await counter('reserved')).toBe(0n);
    const actual = calls.reduce((a, c) => a + c.actualNanos, 0n);
    expect(await counter('bridge')).toBe(actual);

    // the ledger read now holds those calls: the bridge hands them over without counting twice
    const bridged = await one.bridgedIds(PERIOD);
    expect(bridged).toHaveLength(calls.length);
    await two.refresh(PERIOD, new Map([[scope, actual]]), bridged);
    expect(await counter('bridge')).toBe(0n);
    expect(await counter('ledger')).toBe(actual);
    const next = await one.reserve(PERIOD, 'after', limit - actual, NOW, NOW + 1, [
      { scope, limitNanos: limit, hard: true },
    ]);
    expect(next.status).toBe('reserved');
    expect(next.counters.get(scope)).toEqual({ spentNanos: actual, reservedNanos: 0n });
  });

  it('a retried check with the same id reserves once; an expired reservation frees its room', async () => {
    const period = '2026-10';
    const rules = [{ scope, limitNanos: 100n, hard: true }];
    await one.refresh(period, new Map([[scope, 0n]]), []);
    expect((await one.reserve(period, 'r1', 60n, NOW, NOW + 1000, rules)).status).toBe('reserved');
    expect((await two.reserve(period, 'r1', 60n, NOW, NOW + 1000, rules)).status).toBe('duplicate');
    expect((await two.reserve(period, 'r2', 60n, NOW + 999, NOW + 5000, rules)).status).toBe('denied');
    expect((await two.reserve(period, 'r2', 60n, NOW + 1000, NOW + 5000, rules)).status).toBe('reserved');
  });

  it('a soft rule never denies, and still reserves', async () => {
    const period = '2026-09';
    await one.refresh(period, new Map([[scope, 90n]]), []);
    const result = await one.reserve(period, 's1', 50n, NOW, NOW + 1000, [
      { scope, limitNanos: 100n, hard: false },
    ]);
    expect(result.status).toBe('reserved');
    expect(result.counters.get(scope)).toEqual({ spentNanos: 90n, reservedNanos: 0n });
  });

  it('a per-minute cap admits exactly the cap from two replicas at once', async () => {
    const key = `service_account:batch-${randomUUID().slice(0, 6)}`;
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) => stores[i % 2]!.admit(key, Date.now(), 50)),
    );
    expect(answers.filter((a) => a.admitted)).toHaveLength(50);
    expect(answers.find((a) => !a.admitted)!.retryAfterMs).toBeGreaterThan(0);
  });
});
