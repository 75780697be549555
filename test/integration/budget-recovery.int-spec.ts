import { randomBytes } from 'node:crypto';
import { TOPICS } from '@tokentally/contracts';
import { BudgetRepository } from '@tokentally/adapters-postgres-budget';
import { budgetScopeKey } from '@tokentally/domain-budget';
import { createPool, inTransaction, migrate } from '@tokentally/platform-db';
import { createRedisClient } from '@tokentally/platform-redis';
import { buildEnrichedCallEvent, KafkaHarness, stackEnv, waitUntil } from '@tokentally/testing';
import { freePort, RedisProcess } from './redis-process';
import { ServiceProcess } from './service-process';

const RUN = randomBytes(4).toString('hex');
const TOKEN = `it-budget-recovery-token-${RUN}`;
const LIMIT = 1_000_000_000n; // $1, hard
const ESTIMATE = 75_000_000n; // 100k input x $0.15/M + 100k output x $0.60/M (gpt-4o-mini)
const ACTUAL = 13_500_000n; // 50k input + 10k output
const ADMITTED = 13; // 13 x $0.075 = $0.975 <= $1 < 14 x $0.075

interface Answer {
  decision: string;
  reason_code: string;
  reservation_id: string | null;
  remaining_nanos: string | null;
}

/**
 * The pricer is killed (-9) and the budget's Redis is restarted between the reserve (a check) and the
 * commit (the priced call): every call is booked once, the budget ends at exactly the limit minus the
 * actual costs, and no reservation is freed twice (the reserved counter ends at 0, never below). Each
 * case has its own redis-server on a free port: never the shared one.
 */
describe('budget reservations across a kill -9 of the pricer and a Redis restart', () => {
  const pool = createPool({ connectionString: stackEnv.databaseUrl, max: 2 });
  const harness = new KafkaHarness();
  const started: ServiceProcess[] = [];
  const redises: RedisProcess[] = [];
  const pricer = (port: number, redis: RedisProcess, group: string): ServiceProcess => {
    const process = new ServiceProcess('pricer', port, {
      DATABASE_URL: stackEnv.databaseUrl,
      REDIS_URL: redis.url,
      LOG_LEVEL: 'warn',
      KAFKA_CONSUMER_GROUP: group,
      BUDGET_POLICY_REFRESH_MS: '300',
      BUDGET_REFRESH_MS: '300',
      BUDGET_TOKENS: TOKEN,
    });
    started.push(process);
    return process;
  };
  const check = async (service: ServiceProcess, team: string, body: object = {}): Promise<Answer> => {
    const response = await fetch(`${service.url}/v1/budget/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({
        team_id: team,
        feature: 'answers',
        environment: 'prod',
        provider: 'openai',
        model: 'gpt-4o-mini',
        input_tokens: 100_000,
        max_output_tokens: 100_000,
        ...body,
      }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Answer;
  };
  /** What is left once nothing more is asked: a zero-token check reserves nothing. */
  const remaining = async (service: ServiceProcess, team: string): Promise<bigint> =>
    BigInt(
      (
        await check(service, team, {
          input_tokens: 0,
          max_output_tokens: 0,
          event_id: `${RUN}-probe-${Date.now()}-${Math.random()}`,
        })
      ).remaining_nanos ?? 'NaN',
    );
  const settlesAt = async (service: ServiceProcess, team: string, expected: bigint): Promise<void> => {
    await waitUntil(
      `${team}: remaining ${expected}`,
      async () => (await remaining(service, team)) === expected,
      90_000,
      300,
    );
    // and stays there across several ledger refreshes: nothing counted or freed a second time
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await remaining(service, team)).toBe(expected);
  };
  const publish = async (team: string, ids: readonly string[]): Promise<void> => {
    const events = ids.map((id, n) => ({
      ...buildEnrichedCallEvent(n, {
        team_id: team,
        feature: 'answers',
        environment: 'prod',
        trace_id: `${id}-t`,
      }),
      event_id: id,
      provider: 'openai',
      model: 'gpt-4o-mini',
      occurred_at: Date.now(),
      buckets: {
        uncached_input: 50_000,
        cache_read: 0,
        cache_write_5m: 0,
        cache_write_1h: 0,
        output: 10_000,
        reasoning: 0,
        units: {},
      },
    }));
    await harness.producer.send(
      TOPICS.enrichedCalls,
      events.map((value) => ({ key: value.trace_id, value })),
    );
  };
  const booked = async (team: string): Promise<{ calls: number; nanos: bigint }> => {
    const { rows } = await pool.query<{ calls: number; nanos: string | null }>(
      'SELECT count(*)::int AS calls, sum(total_nanos)::text AS nanos FROM tokentally.ledger WHERE team_id = $1',
      [team],
    );
    return { calls: rows[0]?.calls ?? 0, nanos: BigInt(rows[0]?.nanos ?? '0') };
  };
  const reservedCounter = async (redis: RedisProcess, team: string): Promise<string | null> => {
    const client = createRedisClient(redis.url);
    await client.connect();
    try {
      const scope = budgetScopeKey({ teamId: team, feature: null, environment: null });
      return await client.get(`tt:budget:{${new Date().toISOString().slice(0, 7)}}:${scope}:reserved`);
    } finally {
      client.disconnect();
    }
  };
  const admit = async (service: ServiceProcess, team: string): Promise<string[]> => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => check(service, team, { event_id: `${team}-call-${i}` })),
    );
    const ids = answers.flatMap((a) => (a.reservation_id === null ? [] : [a.reservation_id]));
    expect(ids).toHaveLength(ADMITTED);
    return ids;
  };

  beforeAll(async () => {
    await harness.start();
    await harness.registry.registerWriters([TOPICS.enrichedCalls]);
    await migrate(pool);
    const rule = (teamId: string) => ({
      teamId,
      feature: null,
      environment: null,
      monthlyLimitNanos: LIMIT,
      mode: 'hard' as const,
      softUntil: null,
      warnAtBp: 8000,
    });
    const client = await pool.connect();
    await inTransaction(client, () =>
      new BudgetRepository(pool).replaceDeclaration(client, {
        rules: [rule(`it-brec-aof-${RUN}`), rule(`it-brec-none-${RUN}`)],
        caps: [],
      }),
    ).finally(() => client.release());
  });
  afterAll(async () => {
    await Promise.all(started.map((service) => service.stop(5000)));
    await Promise.all(redises.map((redis) => redis.kill()));
    await harness.stop();
    await pool.end();
  });

  it('a Redis that keeps its writes (AOF): reservations outlive both kills, each is freed once', async () => {
    const team = `it-brec-aof-${RUN}`;
    const group = `it-brec-aof-${RUN}`;
    await harness.skipToEnd(group, TOPICS.enrichedCalls.name);
    const redis = new RedisProcess(await freePort(), 'aof');
    redises.push(redis);
    await redis.start();
    const first = pricer(3285, redis, group);
    first.start();
    await first.healthy();
    const ids = await admit(first, team);

    // between reserve and commit: the pricer dies, then Redis dies, and both come back
    await first.kill();
    await redis.kill();
    await redis.start();
    const second = pricer(3285, redis, group);
    second.start();
    await second.healthy();
    expect(await remaining(second, team)).toBe(LIMIT - BigInt(ADMITTED) * ESTIMATE);
    expect(await check(second, team, { event_id: `${team}-one-more` })).toMatchObject({
      decision: 'deny',
      reason_code: 'OVER_HARD_BUDGET',
    });

    // the calls happen and are priced, and Kafka delivers them twice
    await publish(team, ids);
    await publish(team, ids);
    await settlesAt(second, team, LIMIT - BigInt(ADMITTED) * ACTUAL);
    expect(await booked(team)).toEqual({ calls: ADMITTED, nanos: BigInt(ADMITTED) * ACTUAL });
    expect(await reservedCounter(redis, team)).toBe('0');
  });

  it('a Redis that keeps nothing: booked spend is re-seeded from the ledger, no budget is freed twice', async () => {
    const team = `it-brec-none-${RUN}`;
    const group = `it-brec-none-${RUN}`;
    await harness.skipToEnd(group, TOPICS.enrichedCalls.name);
    const redis = new RedisProcess(await freePort(), 'none');
    redises.push(redis);
    await redis.start();
    const first = pricer(3286, redis, group);
    first.start();
    await first.healthy();
    const ids = await admit(first, team);
    const [done, inFlight] = [ids.slice(0, 5), ids.slice(5)];
    await publish(team, done);
    await settlesAt(first, team, LIMIT - 5n * ACTUAL - BigInt(inFlight.length) * ESTIMATE);

    await first.kill();
    await redis.kill();
    await redis.start();
    const second = pricer(3286, redis, group);
    second.start();
    await second.healthy();
    // the five booked calls are re-seeded from the ledger; the eight open reservations lived only in
    // Redis, so their room is free again until those calls are booked (see ADR 0007)
    expect(await remaining(second, team)).toBe(LIMIT - 5n * ACTUAL);

    await publish(team, [...inFlight, ...done]);
    await settlesAt(second, team, LIMIT - BigInt(ADMITTED) * ACTUAL);
    expect(await booked(team)).toEqual({ calls: ADMITTED, nanos: BigInt(ADMITTED) * ACTUAL });
    // committing a reservation Redis forgot frees nothing: the counter is 0, not minus eight estimates
    expect(await reservedCounter(redis, team)).toBe('0');
  });
});
