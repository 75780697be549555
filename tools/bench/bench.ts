import { benchAnomaly } from './anomaly.bench';
import { benchAvro } from './avro.bench';
import { benchBudget } from './budget.bench';
import { benchEnrich } from './enrich.bench';
import { benchKafka } from './kafka.bench';
import { benchLedger } from './ledger.bench';
import { benchPipeline } from './pipeline.bench';
import { benchReconcile } from './reconcile.bench';
import { benchReport } from './report.bench';

/**
 * `npm run bench [-- scenario ...]`: prints measured figures; asserts nothing. Scenarios that need
 * the broker bring the stack up first. Targets live in the issues and ADRs, not in tests.
 */
const SCENARIOS: Record<string, { description: string; run: () => Promise<void> }> = {
  avro: { description: 'Avro encode/decode of raw call events through the registry codec', run: benchAvro },
  kafka: {
    description: 'produce + consume raw call events through the platform Kafka library',
    run: benchKafka,
  },
  enrich: {
    description: 'the enricher service alone draining a raw-call backlog (target >= 20,000 events/s)',
    run: benchEnrich,
  },
  ledger: {
    description:
      'pricer + ledger write path vs raw COPY of the same rows (target ratio >= 0.9, >= 20,000 rows/s); explain on 1M rows',
    run: benchLedger,
  },
  budget: {
    description:
      'budget checks over loopback HTTP (target p99 <= 2 ms at 5,000/s) and 200 callers against a hard budget',
    run: benchBudget,
  },
  reconcile: {
    description:
      'a month of 10M ledger calls (daily rollups) against 100,800 provider lines: import + reconcile (target < 30 s)',
    run: benchReconcile,
  },
  anomaly: {
    description:
      'anomaly detector over seeded 5-week corpora with labelled incidents: precision, recall, latency, drivers, calls/s, RSS',
    run: benchAnomaly,
  },
  pipeline: {
    description:
      'enricher + pricer processes end to end from Kafka and from HTTP ingest (targets >= 15,000/s and >= 10,000/s), latency at 2,000/s, peak RSS, Redis memory',
    run: benchPipeline,
  },
  report: {
    description: 'monthly chargeback report over a 10M-row ledger, from the rollups (target < 100 ms)',
    run: benchReport,
  },
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    console.log('usage: npm run bench [-- scenario ...]\n\nscenarios (default: all):');
    for (const [name, { description }] of Object.entries(SCENARIOS))
      console.log(`  ${name.padEnd(8)} ${description}`);
    return;
  }
  const unknown = args.filter((name) => !(name in SCENARIOS));
  if (unknown.length > 0)
    throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  for (const name of args.length > 0 ? args : Object.keys(SCENARIOS)) {
    console.log(`\n== bench ${name}: ${SCENARIOS[name]?.description}`);
    await SCENARIOS[name]?.run();
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
