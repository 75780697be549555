import { randomBytes } from 'node:crypto';
import { TOPICS } from '@tokentally/contracts';
import { BudgetRepository } from '@tokentally/adapters-postgres-budget';
import { createPool, inTransaction, migrate } from '@tokentally/platform-db';
import { createRedisClient } from '@tokentally/platform-redis';
import { BudgetClient } from '@tokentally/sdk';
import { buildEnrichedCallEvent, KafkaHarness, stackEnv, waitUntil } from '@tokentally/testing';
import { ServiceProcess } from './service-process';
import { tally } from './tally';

const RUN = randomBytes(4).toString('hex');
const TEAM = `it-budget-${RUN}`;
const GROUP = `it-budget-${RUN}`;
const PREFIX = 'tt:budget';
const TOKEN = `it-budget-gateway-token-${RUN}`;

interface Answer {
  decision: 'allow' | 'warn' | 'deny';
  reason_code: string;
  reservation_id: string | null;
  estimate_nanos: string | null;
  remaining_nanos: string | null;
  reason: string;
  via_override: boolean;
}

/**
 * Two pricer replicas answer budget checks for one hard $1 budget from 200 concurrent callers, then
 * book the admitted calls: reservations are replaced by actual costs, and a lost Redis is re-seeded
 * from the ledger. gpt-4o-mini from the catalog: $0.15 input and $0.60 output per 1M tokens.
 */
describe('budget checks on two real pricers: a hard budget holds, booked calls replace reservations', () => {
  const pool = createPool({ connectionString: stackEnv.databaseUrl, max: 2 });
  const redis = createRedisClient(stackEnv.redisUrl);
  const harness = new KafkaHarness();
  const env = {
    DATABASE_URL: stackEnv.databaseUrl,
    LOG_LEVEL: 'warn',
    KAFKA_CONSUMER_GROUP: GROUP,
    BUDGET_POLICY_REFRESH_MS: '300',
    BUDGET_REFRESH_MS: '300',
    BUDGET_TOKENS: TOKEN,
  };
  const pricers = [new ServiceProcess('pricer', 3270, env), new ServiceProcess('pricer', 3271, env)];
  const check = async (replica: number, body: Record<string, unknown>): Promise<Answer> => {
    const response = await fetch(`${pricers[replica]!.url}/v1/budget/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({
        team_id: TEAM,
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

  beforeAll(async () => {
    await redis.connect();
    await harness.start();
    await harness.registry.registerWriters([TOPICS.enrichedCalls]);
    await harness.skipToEnd(GROUP, TOPICS.enrichedCalls.name);
    await migrate(pool);
    const client = await pool.connect();
    await inTransaction(client, () =>
      new BudgetRepository(pool).replaceDeclaration(client, {
        rules: [
          {
            teamId: TEAM,
            feature: null,
            environment: null,
            monthlyLimitNanos: 1_000_000_000n,
            mode: 'hard',
            softUntil: null,
            warnAtBp: 8000,
          },
        ],
        caps: [],
      }),
    ).finally(() => client.release());
    pricers.forEach((pricer) => pricer.start());
    await Promise.all(pricers.map((pricer) => pricer.healthy()));
  });
  afterAll(async () => {
    await Promise.all(pricers.map((pricer) => pricer.stop(5000)));
    await harness.stop();
    await pool.query('DELETE FROM tokentally.budget_rules WHERE team_id = $1', [TEAM]);
    await pool.end();
    await redis.quit();
  });

  it('refuses a caller without a gateway token', async () => {
    const response = await fetch(`${pricers[0]!.url}/v1/budget/check`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers a malformed question with the field that is wrong', async () => {
    const response = await fetch(`${pricers[0]!.url}/v1/budget/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({
        team_id: TEAM,
        feature: 'answers',
        environment: 'prod',
        provider: 'openai',
        model: 'gpt-4o-mini',
        input_tokens: -5,
        max_output_tokens: 1,
      }),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('input_tokens: must not be negative');
  });

  it('200 concurrent checks on two replicas reserve at most the budget; booking replaces reservations', async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => check(i % 2, { event_id: `${RUN}-call-${i}` })),
    );
    const estimate = 75_000_000n; // 100k x $0.15/M + 100k x $0.60/M
    const admitted = answers.filter((a) => a.reservation_id !== null);
    expect(answers.every((a) => a.estimate_nanos === estimate.toString())).toBe(true);
    expect(admitted).toHaveLength(13); // 13 x $0.075 = $0.975 <= $1 < 14 x $0.075
    expect(answers.filter((a) => a.decision === 'deny')).toHaveLength(187);
    expect(
      answers.filter((a) => a.decision === 'deny').every((a) => a.reason_code === 'OVER_HARD_BUDGET'),
    ).toBe(true);

    // the admitted calls happen and are priced: 50k input + 10k output = $0.0075 + $0.006 each
    const events = admitted.map((a, n) => ({
      ...buildEnrichedCallEvent(n, {
        team_id: TEAM,
        feature: 'answers',
        environment: 'prod',
        trace_id: `${RUN}-t${n}`,
      }),
      event_id: a.reservation_id as string,
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
    const spent = 13n * 13_500_000n;
    const remaining = await waitUntil(
      'reservations replaced by booked costs',
      async () => {
        const answer = await check(0, {
          input_tokens: 0,
          max_output_tokens: 0,
          event_id: `${RUN}-probe-${Date.now()}`,
        });
        return answer.remaining_nanos === (1_000_000_000n - spent).toString() ? answer : undefined;
      },
      60_000,
      300,
    );
    expect(remaining.decision).toBe('allow');

    // a lost Redis: the month is re-seeded from the ledger before the next decision
    const keys = await redis.keys(`${PREFIX}:{*}:*${TEAM}*`);
    const period = new Date().toISOString().slice(0, 7);
    await redis.del(...keys, `${PREFIX}:{${period}}:seeded`);
    const reseeded = await check(1, { input_tokens: 0, max_output_tokens: 0, event_id: `${RUN}-after-loss` });
    expect(reseeded.remaining_nanos).toBe((1_000_000_000n - spent).toString());
  });

  it('the SDK client asks the same question, and fails closed when nobody answers', async () => {
    const question = {
      teamId: TEAM,
      feature: 'answers',
      environment: 'prod' as const,
      provider: 'openai',
      model: 'gpt-4o-mini',
      inputTokens: 10,
      maxOutputTokens: 10,
    };
    const answer = await new BudgetClient({ url: pricers[1]!.url, token: TOKEN }).check(question);
    expect(answer).toMatchObject({
      decision: 'allow',
      reasonCode: 'WITHIN_BUDGET',
      estimateUsd: '0.0000075',
    });
    const nobody = await new BudgetClient({ url: 'http://127.0.0.1:9', timeoutMs: 300 }).check(question);
    expect(nobody).toMatchObject({ decision: 'deny', reasonCode: 'STORE_UNAVAILABLE' });
  });

  it('an override from the CLI lets a denied call pass, and the answer says so', async () => {
    const big = { input_tokens: 2_000_000, max_output_tokens: 2_000_000 }; // $1.50 worst case
    expect((await check(0, { ...big, event_id: `${RUN}-big-1` })).decision).toBe('deny');
    tally(
      'budget',
      'override',
      '--team',
      TEAM,
      '--amount',
      '2',
      '--reason-code',
      'INCIDENT_RESPONSE',
      '--approver',
      'cfo@example.com',
      '--expires',
      '2099-12-31',
      '--note',
      'backlog after the outage',
    );
    const passed = await waitUntil(
      'override picked up',
      async () => {
        const answer = await check(1, { ...big, event_id: `${RUN}-big-2` });
        return answer.decision !== 'deny' ? answer : undefined;
      },
      20_000,
      300,
    );
    expect(passed).toMatchObject({ reason_code: 'OVERRIDE', via_override: true });
    expect(passed.reason).toMatch(/allowed by override ovr-/);
  });
});
