import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { Pool } from 'pg';
import { TOPICS, type EnrichedCallEvent } from '@tokentally/contracts';
import { BudgetRepository } from '@tokentally/adapters-postgres-budget';
import { up } from '@tokentally/deploy';
import { formatUsd } from '@tokentally/domain-money';
import { inTransaction } from '@tokentally/platform-db';
import { AvroProducer, AvroRegistry, createKafkaClient, skipGroupToEnd } from '@tokentally/platform-kafka';
import { silentLogger } from '@tokentally/platform-observability';
import { buildEnrichedCallEvent, stackEnv, waitUntil } from '@tokentally/testing';
import { build, compiledServiceEntry } from '../build/build';
import { openScratchDatabase, stackDatabaseUrl } from '../scratch-database';
import { jsonPost, openLoop } from './loopback-load';

const PORT = 3298;
const TOKEN = `bench-budget-token-${randomBytes(8).toString('hex')}`;
const DB = 'tokentally_bench';
const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
// gpt-4o-mini from the catalog: $0.15 input, $0.60 output per 1M tokens
const PRICE_IN = 150n;
const PRICE_OUT = 600n;

function post(body: object): Promise<{ decision: string; reservation_id: string | null }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const request = http.request(
      {
        host: '127.0.0.1',
        port: PORT,
        path: '/v1/budget/check',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          authorization: `Bearer ${TOKEN}`,
        },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () =>
          response.statusCode === 200
            ? resolve(JSON.parse(text) as never)
            : reject(new Error(`${response.statusCode}: ${text}`)),
        );
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

const question = (team: string, input: number, maxOutput: number, eventId?: string) => ({
  team_id: team,
  feature: 'bench',
  environment: 'prod',
  provider: 'openai',
  model: 'gpt-4o-mini',
  input_tokens: input,
  max_output_tokens: maxOutput,
  ...(eventId ? { event_id: eventId } : {}),
});

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** Open loop at a fixed offered rate: latency as a caller sees it, not as a closed loop hides it. */
async function latencyAt(team: string, perSecond: number, seconds: number): Promise<void> {
  const request = jsonPost('/v1/budget/check', TOKEN, question(team, 1000, 500));
  const result = await openLoop({ port: PORT, connections: 64, perSecond, seconds, request: () => request });
  const { latencies } = result;
  console.log(
    `offered ${perSecond.toLocaleString('en-US')}/s for ${seconds} s: answered ${Math.round(result.answered / result.seconds).toLocaleString('en-US')}/s` +
      `${result.errors > 0 ? ` (${result.errors} not 200)` : ''}, p50 ${percentile(latencies, 0.5).toFixed(2)} ms, ` +
      `p99 ${percentile(latencies, 0.99).toFixed(2)} ms, max ${(latencies.at(-1) ?? 0).toFixed(1)} ms (target p99 <= 2 ms at 5,000/s)`,
  );
}

/**
 * 200 callers spend against one hard budget until each is denied; every admitted call is then
 * priced by the pricer from its real tokens. `estimateFactor` < 1 makes the callers' estimates low.
 */
async function overshoot(
  producer: AvroProducer,
  pool: Pool,
  team: string,
  budgetNanos: bigint,
  estimateFactor: number,
  run: string,
): Promise<void> {
  let seq = 0;
  const booked: EnrichedCallEvent[] = [];
  const caller = async (id: number): Promise<void> => {
    for (;;) {
      const input = 20_000 + ((id * 7919 + seq) % 20_000);
      const maxOutput = 10_000;
      const eventId = `${run}-${team}-${seq++}`;
      const answer = await post(
        question(team, Math.floor(input * estimateFactor), Math.floor(maxOutput * estimateFactor), eventId),
      );
      if (answer.decision === 'deny') return;
      const output = maxOutput - ((id * 31 + seq) % (maxOutput / 2));
      const event = {
        ...buildEnrichedCallEvent(seq, {
          team_id: team,
          feature: 'bench',
          environment: 'prod',
          trace_id: eventId,
        }),
        event_id: eventId,
        provider: 'openai',
        model: 'gpt-4o-mini',
        occurred_at: Date.now(),
        buckets: {
          uncached_input: input,
          cache_read: 0,
          cache_write_5m: 0,
          cache_write_1h: 0,
          output,
          reasoning: 0,
          units: {},
        },
      };
      booked.push(event);
      await producer.send(TOPICS.enrichedCalls, [{ key: event.trace_id, value: event }]);
    }
  };
  await Promise.all(Array.from({ length: 200 }, (_, i) => caller(i)));
  const expected = booked.reduce(
    (sum, e) => sum + BigInt(e.buckets.uncached_input) * PRICE_IN + BigInt(e.buckets.output) * PRICE_OUT,
    0n,
  );
  const spent = await waitUntil(
    'admitted calls booked',
    async () => {
      const { rows } = await pool.query<{ calls: bigint; nanos: bigint | null }>(
        'SELECT count(*) AS calls, sum(total_nanos)::bigint AS nanos FROM tokentally.ledger WHERE team_id = $1',
        [team],
      );
      return Number(rows[0]?.calls ?? 0) === booked.length ? (rows[0]?.nanos ?? 0n) : undefined;
    },
    120_000,
    500,
  );
  const over = spent - budgetNanos;
  console.log(
    `${estimateFactor === 1 ? 'upper-bound estimates' : `estimates ${Math.round((1 - estimateFactor) * 100)}% low`}: ${booked.length} calls admitted for 200 callers, ` +
      `spend ${formatUsd(spent)} of a hard ${formatUsd(budgetNanos)} budget (${over > 0n ? `over by ${formatUsd(over)}, ${(Number((over * 10_000n) / budgetNanos) / 100).toFixed(2)}%` : 'never above it'}); ledger = priced tokens: ${spent === expected ? 'yes' : 'NO'}`,
  );
}

/** `npm run bench -- budget`: the compiled pricer answering budget checks over loopback HTTP. */
export async function benchBudget(): Promise<void> {
  await up();
  await build();
  const run = randomBytes(3).toString('hex');
  const pool = await openScratchDatabase(DB, 'bench-budget');
  const teams = { open: `open-${run}`, tight: `tight-${run}`, low: `low-${run}` };
  const budget = 5_000_000_000n;
  const rule = (teamId: string, limit: bigint) => ({
    teamId,
    feature: null,
    environment: null,
    monthlyLimitNanos: limit,
    mode: 'hard' as const,
    softUntil: null,
    warnAtBp: 8000,
  });
  const client = await pool.connect();
  await inTransaction(client, () =>
    new BudgetRepository(pool).replaceDeclaration(client, {
      rules: [rule(teams.open, 9_000_000_000_000_000n), rule(teams.tight, budget), rule(teams.low, budget)],
      caps: [],
    }),
  ).finally(() => client.release());

  const kafka = createKafkaClient({
    clientId: 'bench-budget',
    brokers: stackEnv.brokers,
    logger: silentLogger,
  });
  const admin = kafka.admin();
  await admin.connect();
  const group = `bench-budget-${run}`;
  await skipGroupToEnd(admin, group, TOPICS.enrichedCalls.name);
  await admin.disconnect();
  const registry = new AvroRegistry(stackEnv.registryUrl);
  await registry.registerWriters([TOPICS.enrichedCalls]);
  const producer = new AvroProducer(kafka, registry);
  await producer.connect();

  const child = spawn(
    process.execPath,
    [
      ...(process.env['BENCH_PROF'] ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []),
      compiledServiceEntry('pricer'),
    ],
    {
      env: {
        ...process.env,
        HTTP_PORT: String(PORT),
        DATABASE_URL: stackDatabaseUrl(DB),
        KAFKA_CONSUMER_GROUP: group,
        LOG_LEVEL: 'warn',
        BUDGET_REFRESH_MS: '1000',
        BUDGET_TOKENS: TOKEN,
        TOKENTALLY_ENV: 'dev',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  try {
    await waitUntil(
      'pricer /health',
      async () => (await fetch(`http://127.0.0.1:${PORT}/health`)).ok,
      90_000,
      300,
    );
    await latencyAt(teams.open, 1000, 3); // warm-up, not reported separately
    await latencyAt(teams.open, 2000, 10);
    await latencyAt(teams.open, 5000, 10);
    await overshoot(producer, pool, teams.tight, budget, 1, run);
    await overshoot(producer, pool, teams.low, budget, 0.8, run);
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
    console.log(`pricer RSS after the runs: ${Math.round(rss / 1024)} MB`);
  } finally {
    child.kill('SIGTERM');
    await producer.disconnect();
    await pool.end();
    agent.destroy();
  }
}
