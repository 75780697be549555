import './demo-topics'; // first: sets the demo's topic prefix before the topic registry loads
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { up } from '@tokentally/deploy';
import { parseOrgDeclaration } from '@tokentally/domain-enrichment';
import { formatUsd } from '@tokentally/domain-money';
import { parseRateFile, storedRateBook } from '@tokentally/domain-pricing';
import { OrgRepository, RatesRepository } from '@tokentally/adapters-postgres-ledger';
import { periodOf, previousPeriod } from '@tokentally/domain-ledger';
import { openScratchDatabase, stackDatabaseUrl } from '../scratch-database';
import { build } from '../build/build';
import { printBudgets } from './budgets';
import { printCoverage } from './coverage';
import {
  FINANCE_TOKEN,
  PORT,
  startServices,
  waitDetectorCaughtUp,
  type RunningServices,
} from './demo-services';
import { printStatementAndExports } from './exports';
import { printReconciliation } from './reconcile';
import { sendTraffic, waitForLedger } from './send';
import { generateTraffic } from './traffic';
import { printWhy } from './why';

/**
 * `npm run demo`: the $9,000 -> $17,500 story end to end on the local stack. A database of its own
 * (tokentally_demo, reset each run), consumer groups of its own started at the topics' ends, two months
 * of synthetic traffic through the SDK and HTTP ingest, then: who spent it (the audit summary and
 * exports), whether the ledger matches the generator to the nano, why (the day the jump began and its
 * drivers), the budget crossings, the reconciliation with Anthropic's bill, coverage and the console.
 */
const ROOT = path.resolve(__dirname, '../..');
const DEMO_DB = 'tokentally_demo';
const USAGE = `usage: npm run demo [-- --serve]

Runs the whole pipeline (the local stack and the five services) on two months of synthetic traffic
and prints the story: who spent it, whether the ledger matches the generator, why the bill jumped,
the budget crossings, the reconciliation with the provider's bill, the unattributed share and the
web console's URL.

  --serve   keep the services (and the console) up after printing; Ctrl-C stops them
  --help    this text`;

const started = Date.now();
const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const step = (text: string): void => console.log(`[demo ${elapsed().padStart(7)}] ${text}`);
const progress = (text: string): void => {
  process.stdout.write(`\r[demo ${elapsed().padStart(7)}] ${text}\u001b[K`);
};

async function main(): Promise<void> {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  if (process.argv.includes('--help')) {
    console.log(USAGE);
    return;
  }
  const serve = process.argv.includes('--serve');
  step('starting the local stack (Kafka, schema registry, PostgreSQL, Redis)...');
  await up();
  step(`compiling the services to dist/ (${await build()} files)`);
  const databaseUrl = stackDatabaseUrl(DEMO_DB);
  step(`resetting the demo database ${DEMO_DB}`);
  const pool = await openScratchDatabase(DEMO_DB, 'demo');
  let services: RunningServices | undefined;
  process.on('SIGINT', () => {
    void (services?.stop() ?? Promise.resolve()).then(() => process.exit(130));
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
    const previous = previousPeriod(period);
    const rates = parseRateFile(
      parseYaml(
        readFileSync(path.join(__dirname, 'rates.yaml'), 'utf8').replace('EFFECTIVE_FROM', `${period}-01`),
      ),
    );
    if (!rates.ok) throw new Error(`tools/demo/rates.yaml: ${rates.problems.join('; ')}`);
    const book = storedRateBook(rates.value);
    await new RatesRepository(pool).apply(book.cards, book.fx);
    step(
      'applied tools/demo/org.yaml (4 teams, budgets, shared-cost rule, Anthropic account) and tools/demo/rates.yaml (Anthropic -10%)',
    );

    step(`starting the five services (logs: .demo/logs/)...`);
    services = await startServices(ROOT, databaseUrl);
    step('services healthy');

    const run = randomBytes(4).toString('hex');
    // generated up to the last millisecond of the reported month
    const traffic = generateTraffic(run, parseInt(run, 16), now - 1);
    const expected = traffic.reduce((sum, call) => sum + call.expectedNanos, 0n);
    step(
      `sending ${traffic.length.toLocaleString('en-US')} calls of two months (${traffic.filter((c) => c.via === 'http').length.toLocaleString('en-US')} over HTTP ingest, the rest through the producer SDK)`,
    );
    await sendTraffic(traffic, now, progress);
    const priced = await waitForLedger(pool, run, traffic.length, progress);
    const caughtUp = await waitDetectorCaughtUp(60_000);
    step(
      caughtUp
        ? 'anomaly detector caught up with the priced topic'
        : 'anomaly detector still behind after 60 s (its alerts may be incomplete)',
    );
    await new Promise((resolve) => setTimeout(resolve, 2500)); // its trailing budget check

    await printStatementAndExports(ROOT, pool, period);
    console.log(`explore: DATABASE_URL=${databaseUrl} npx tally report --period ${period}`);
    console.log(
      `         DATABASE_URL=${databaseUrl} npx tally explain ${traffic.find((c) => c.event.is_retry)?.event.trace_id ?? ''}`,
    );
    const matches = priced.nanos === expected && priced.rows === BigInt(traffic.length);
    console.log(
      `\nledger total ${formatUsd(priced.nanos)} (${priced.nanos} nano-USD), generator ${formatUsd(expected)} (${expected} nano-USD)`,
    );
    console.log(`ledger matches generator: ${matches ? 'yes' : 'NO'}`);
    if (!matches) process.exitCode = 1;

    await printWhy(pool, period, previous);
    await printBudgets(pool, period);
    await printReconciliation(traffic, period);
    await printCoverage(pool, period);
    const url = `http://127.0.0.1:${PORT('chargeback-exporter')}/console/#/overview?period=${period}`;
    console.log(`\n== The web console\n\n  ${url}  (sign in with the finance token ${FINANCE_TOKEN})`);
    console.log(`\ndone in ${elapsed()}`);
    if (serve) {
      console.log('serving: the five services stay up; Ctrl-C stops them');
      await new Promise<never>(() => undefined);
    }
  } finally {
    await services?.stop();
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
