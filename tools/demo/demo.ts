import './demo-topics'; // first: sets the demo's topic prefix before the topic registry loads
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { TOPICS } from '@tokentally/contracts';
import { up } from '@tokentally/deploy';
import {
  auditSummary,
  buildStatement,
  focusCsv,
  focusExport,
  focusMetadata,
  focusParquet,
  statementCsv,
  statementTable,
  toJsonValue,
} from '@tokentally/domain-chargeback';
import { parseOrgDeclaration } from '@tokentally/domain-enrichment';
import { formatUsd } from '@tokentally/domain-money';
import { parseRateFile, PriceCatalog, storedRateBook } from '@tokentally/domain-pricing';
import { ChargebackRepository, OrgRepository, RatesRepository } from '@tokentally/adapters-postgres-ledger';
import { periodOf, previousPeriod } from '@tokentally/domain-ledger';
import { createKafkaClient, skipGroupToEnd } from '@tokentally/platform-kafka';
import { silentLogger } from '@tokentally/platform-observability';
import { CallRecorder } from '@tokentally/sdk';
import { openScratchDatabase, stackDatabaseUrl } from '../scratch-database';
import { build } from '../build/build';
import { spawnService, waitHealthy } from '../services';
import { generateTraffic } from './traffic';

/**
 * `npm run demo`: the $9,000 -> $17,500 story end to end on the local stack. A database of its own
 * (tokentally_demo, reset each run), consumer groups of its own started at the topics' ends, two months
 * of synthetic traffic through the SDK and HTTP ingest, then the month-over-month audit summary, the
 * exports, and whether the ledger matches the generator's own cost to the nano.
 */
const ROOT = path.resolve(__dirname, '../..');
const DEMO_DB = 'tokentally_demo';
const INGEST_TOKEN = 'demo-ingest-token-0000000000'; // 24+ chars: INGEST_TOKENS refuses shorter
const FINANCE_TOKEN = 'demo-finance-token-0000';
const SERVICES = ['enricher', 'pricer', 'anomaly-detector', 'reconciler', 'chargeback-exporter'] as const;
const PORT = (index: number): number => 3301 + index;

const started = Date.now();
const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const step = (text: string): void => console.log(`[demo ${elapsed().padStart(7)}] ${text}`);
const progress = (text: string): void => {
  process.stdout.write(`\r[demo ${elapsed().padStart(7)}] ${text}\u001b[K`);
};

async function main(): Promise<void> {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  if (process.argv.includes('--help')) {
    console.log(
      'usage: npm run demo\n\nRuns the whole pipeline on synthetic traffic and prints the audit summary.',
    );
    return;
  }
  step('starting the local stack (Kafka, schema registry, PostgreSQL, Redis)...');
  await up();
  step(`compiling the services to dist/ (${await build()} files)`);
  const databaseUrl = stackDatabaseUrl(DEMO_DB);
  step(`resetting the demo database ${DEMO_DB}`);
  const pool = await openScratchDatabase(DEMO_DB, 'demo');
  const children: { name: string; child: ChildProcess }[] = [];
  const stopAll = (): void => children.forEach(({ child }) => child.kill('SIGTERM'));
  process.on('SIGINT', () => {
    stopAll();
    process.exit(130);
  });
  try {
    const org = parseOrgDeclaration(parseYaml(readFileSync(path.join(__dirname, 'org.yaml'), 'utf8')));
    if (!org.ok) throw new Error(`tools/demo/org.yaml: ${org.problems.join('; ')}`);
    await new OrgRepository(pool).apply(org.value);
    // The last two complete months, as a FinOps reader meets a bill: on the 1st, "this month so far"
    // would squeeze a month of calls into hours. The generator's "now" is the first instant of this month.
    const today = new Date();
    const now = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1);
    const period = previousPeriod(periodOf(now));
    const rates = parseRateFile(
      parseYaml(
        readFileSync(path.join(__dirname, 'rates.yaml'), 'utf8').replace('EFFECTIVE_FROM', `${period}-01`),
      ),
    );
    if (!rates.ok) throw new Error(`tools/demo/rates.yaml: ${rates.problems.join('; ')}`);
    const book = storedRateBook(rates.value);
    await new RatesRepository(pool).apply(book.cards, book.fx);
    step(
      'applied tools/demo/org.yaml (4 teams, budgets, shared-cost rule) and tools/demo/rates.yaml (Anthropic -10%)',
    );

    // The demo's consumer groups start where the topics end now: only this run's traffic is priced.
    const kafka = createKafkaClient({ clientId: 'demo', brokers: ['127.0.0.1:9092'], logger: silentLogger });
    const admin = kafka.admin();
    await admin.connect();
    await skipGroupToEnd(admin, 'tokentally-demo-enricher', TOPICS.rawCalls.name);
    await skipGroupToEnd(admin, 'tokentally-demo-pricer', TOPICS.enrichedCalls.name);
    await admin.disconnect();

    step(`starting the five services (logs: .demo/logs/)...`);
    mkdirSync(path.join(ROOT, '.demo/logs'), { recursive: true });
    SERVICES.forEach((name, index) => {
      const child = spawnService(name, PORT(index), {
        DATABASE_URL: databaseUrl,
        KAFKA_CONSUMER_GROUP: `tokentally-demo-${name}`,
        INGEST_TOKENS: INGEST_TOKEN,
        CHARGEBACK_API_TOKENS: `${FINANCE_TOKEN}:finance`,
        LOG_LEVEL: 'warn',
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
      });
      const log: string[] = [];
      child.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
      child.on('exit', () => writeFileSync(path.join(ROOT, `.demo/logs/${name}.log`), log.join('')));
      children.push({ name, child });
    });
    await Promise.all(children.map(({ name, child }, index) => waitHealthy(name, PORT(index), child)));
    step('services healthy');

    const run = randomBytes(4).toString('hex');
    // generated up to the last millisecond of the reported month
    const traffic = generateTraffic(run, parseInt(run, 16), now - 1);
    const expected = traffic.reduce((sum, call) => sum + call.expectedNanos, 0n);
    step(
      `sending ${traffic.length.toLocaleString('en-US')} calls of two months (${traffic.filter((c) => c.via === 'http').length.toLocaleString('en-US')} over HTTP ingest, the rest through the producer SDK)`,
    );
    const recorder = await CallRecorder.connect({
      brokers: ['127.0.0.1:9092'],
      registryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
      maxBatch: 2000,
    });
    const http = traffic.filter((c) => c.via === 'http').map((c) => c.event);
    for (const call of traffic) if (call.via === 'sdk') recorder.record(call.event, now);
    await recorder.close();
    for (let start = 0; start < http.length; start += 1000) {
      const response = await fetch(`http://127.0.0.1:${PORT(0)}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
        body: JSON.stringify(http.slice(start, start + 1000)),
      });
      if (response.status !== 200 && response.status !== 202)
        throw new Error(`HTTP ingest answered ${response.status}: ${await response.text()}`);
      progress(`HTTP ingest: ${Math.min(start + 1000, http.length)}/${http.length}`);
    }
    process.stdout.write('\n');

    const deadline = Date.now() + 240_000;
    let priced = { rows: 0n, nanos: 0n };
    for (;;) {
      const { rows } = await pool.query<{ rows: bigint; nanos: bigint | null }>(
        'SELECT count(*) AS rows, sum(total_nanos)::bigint AS nanos FROM tokentally.ledger WHERE event_id LIKE $1',
        [`demo-${run}-%`],
      );
      priced = { rows: rows[0]?.rows ?? 0n, nanos: rows[0]?.nanos ?? 0n };
      progress(
        `pipeline: ${priced.rows.toLocaleString('en-US')} / ${traffic.length.toLocaleString('en-US')} calls priced into the ledger`,
      );
      if (priced.rows >= BigInt(traffic.length)) break;
      if (Date.now() > deadline) {
        process.stdout.write('\n');
        const { rows: quarantined } = await pool.query<{ reason: string; n: bigint }>(
          'SELECT reason, count(*) AS n FROM tokentally.quarantine WHERE event_id LIKE $1 GROUP BY reason',
          [`demo-${run}-%`],
        );
        throw new Error(
          `the pipeline did not catch up in time (quarantined: ${quarantined.map((q) => `${q.reason}=${q.n}`).join(', ') || 'none'}); see .demo/logs/`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    process.stdout.write('\n');

    const repository = new ChargebackRepository(pool);
    const statement = buildStatement(await repository.statementInput(period));
    const previous = previousPeriod(period);
    const outDir = path.join(ROOT, '.demo', period);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, 'statement.csv'), statementCsv(statement));
    writeFileSync(
      path.join(outDir, 'statement.json'),
      `${JSON.stringify(toJsonValue({ ...statement, summary: auditSummary(statement) }), null, 2)}\n`,
    );
    const catalog = new PriceCatalog();
    const focus = focusExport(period, await repository.focusSources(period), catalog);
    writeFileSync(path.join(outDir, 'focus.csv'), focusCsv(focus));
    writeFileSync(path.join(outDir, 'focus.parquet'), Buffer.from(focusParquet(focus)));
    writeFileSync(path.join(outDir, 'focus-metadata.json'), `${JSON.stringify(focusMetadata(), null, 2)}\n`);
    writeFileSync(
      path.join(outDir, `focus-${previous}.csv`),
      focusCsv(focusExport(previous, await repository.focusSources(previous), catalog)),
    );

    console.log(`\n== ${period} vs ${previous} (the last two complete months): audit summary\n`);
    for (const line of auditSummary(statement)) console.log(`  ${line}`);
    console.log(
      `\n${statementTable(statement)
        .split('\n')
        .map((line) => `  ${line}`)
        .join('\n')}\n`,
    );
    console.log(
      `exports: ${path.relative(ROOT, outDir)}/statement.csv, statement.json, focus.csv, focus.parquet, focus-metadata.json, focus-${previous}.csv`,
    );
    console.log(`explore: DATABASE_URL=${databaseUrl} npx tally report --period ${period}`);
    console.log(
      `         DATABASE_URL=${databaseUrl} npx tally explain ${traffic.find((c) => c.event.is_retry)?.event.trace_id ?? ''}`,
    );
    const matches = priced.nanos === expected && priced.rows === BigInt(traffic.length);
    console.log(
      `\nledger total ${formatUsd(priced.nanos)} (${priced.nanos} nano-USD), generator ${formatUsd(expected)} (${expected} nano-USD)`,
    );
    console.log(`ledger matches generator: ${matches ? 'yes' : 'NO'}   (${elapsed()})`);
    if (!matches) process.exitCode = 1;
  } finally {
    stopAll();
    await Promise.all(
      children.map(
        ({ child }) =>
          new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.on('exit', resolve))),
      ),
    );
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
