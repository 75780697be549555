import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { composeEnv, DEBIAN_TOOLS, ensureDebianTools } from '@tokentally/deploy';
import { createPool } from '@tokentally/platform-db';

/**
 * `npm test`: brings the real stack up (unless TOKENTALLY_SKIP_STACK=1), runs the static checks, the
 * unit tests and the integration suites against Kafka, the registry, PostgreSQL and Redis, and ends
 * with one line `N passed, N failed[, N skipped]`. Exits non-zero on any failure.
 *
 *   npm test                 everything
 *   npm test -- unit         static checks + unit tests only (no stack needed)
 *   npm test -- integration  integration suites only (then the leak audit: tools/test/leak-audit.ts)
 */
const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, '.tmp', 'test-results');
const scope = process.argv[2] ?? 'all';
if (!['all', 'unit', 'integration'].includes(scope)) {
  console.error(`unknown scope "${scope}": use all, unit or integration`);
  process.exit(2);
}

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
}
const tally: Tally = { passed: 0, failed: 0, skipped: 0, failures: [] };
const bin = (name: string): string => path.join(ROOT, 'node_modules', '.bin', name);
const testEnv = {
  ...process.env,
  // Tests own a database of their own, so a developer's local ledger is never truncated by a test run.
  DATABASE_URL:
    process.env['TEST_DATABASE_URL'] ?? 'postgres://tokentally:tokentally@127.0.0.1:5432/tokentally_test',
  NX_DAEMON: 'false',
};

function step(title: string): void {
  console.log(`\n=== ${title}`);
}

function check(name: string, command: string, args: string[]): void {
  step(`check: ${name}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: testEnv });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status === 0) {
    tally.passed += 1;
    console.log(`check ${name}: passed (${seconds} s)`);
  } else {
    tally.failed += 1;
    tally.failures.push(`check ${name}`);
    console.log(`check ${name}: FAILED (${seconds} s)`);
  }
}

function jest(project: 'unit' | 'integration'): void {
  step(`jest: ${project}`);
  const outputFile = path.join(OUT, `${project}.json`);
  rmSync(outputFile, { force: true });
  const args = ['--selectProjects', project, '--json', `--outputFile=${outputFile}`, '--ci'];
  if (project === 'integration') args.push('--runInBand');
  const result = spawnSync(bin('jest'), args, { cwd: ROOT, stdio: 'inherit', env: testEnv });
  try {
    const report = JSON.parse(readFileSync(outputFile, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      numTodoTests: number;
      numRuntimeErrorTestSuites: number;
      testResults: {
        name: string;
        status: string;
        assertionResults: { fullName: string; status: string }[];
      }[];
    };
    tally.passed += report.numPassedTests;
    tally.failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
    tally.skipped += report.numPendingTests + report.numTodoTests;
    for (const suite of report.testResults) {
      if (suite.status === 'failed' && suite.assertionResults.every((a) => a.status !== 'failed')) {
        tally.failures.push(`suite ${path.relative(ROOT, suite.name)} (failed to run)`);
      }
      for (const a of suite.assertionResults) if (a.status === 'failed') tally.failures.push(a.fullName);
    }
  } catch {
    tally.failed += 1;
    tally.failures.push(`jest ${project} produced no report (exit ${result.status})`);
  }
  if (result.status !== 0 && tally.failed === 0) {
    tally.failed += 1;
    tally.failures.push(`jest ${project} exited ${result.status}`);
  }
}

/**
 * The suites share one database, the tests' own: each run starts it empty, so a migration changed on a
 * branch, rows a crashed run left behind or dead rows (this machine kind's PostgreSQL runs with
 * autovacuum off) never make one run depend on the one before. The suites migrate it themselves.
 */
async function resetTestDatabase(): Promise<void> {
  const pool = createPool({ connectionString: testEnv.DATABASE_URL, max: 1, applicationName: 'npm test' });
  try {
    step(`database: reset ${new URL(testEnv.DATABASE_URL).pathname.slice(1)}`);
    await pool.query('DROP SCHEMA IF EXISTS tokentally CASCADE');
    await pool.query('DROP TABLE IF EXISTS public.tokentally_migrations');
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const started = Date.now();
  step('prerequisites');
  // promtool (alert rules, unit) and Chromium (console browser suite, integration) come from Debian's packages.
  ensureDebianTools(DEBIAN_TOOLS.filter((tool) => scope !== 'unit' || tool.pkg !== 'chromium'));
  if (scope !== 'integration') {
    // The compose file is validated with `docker compose config`; provide Compose if the machine has none.
    composeEnv({ install: true, log: (line) => console.log(line) });
    check('schemas-generated', process.execPath, [
      path.join(ROOT, 'tools/bin/ts.js'),
      'tools/schemas/generate-types.ts',
      '--check',
    ]);
    check('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
    check('lint', 'npm', ['run', '--silent', 'lint']);
    check('format', bin('prettier'), ['--check', '--log-level', 'warn', '.']);
    jest('unit');
  }
  if (scope !== 'unit') {
    if (process.env['TOKENTALLY_SKIP_STACK'] !== '1') {
      step('stack: up');
      // A process of its own, so the servers it starts are not children of this long-lived runner.
      const stack = spawnSync(
        process.execPath,
        [path.join(ROOT, 'tools/bin/ts.js'), 'deploy/local/stack.ts', 'up'],
        {
          cwd: ROOT,
          stdio: 'inherit',
        },
      );
      if (stack.status !== 0)
        throw new Error('the stack did not come up (see above); integration suites not run');
    }
    await resetTestDatabase();
    jest('integration');
    // after every suite has planted its raw ids, prompts and keys: none may be stored or published
    check('leak-audit', process.execPath, [path.join(ROOT, 'tools/bin/ts.js'), 'tools/test/leak-audit.ts']);
  }
  console.log(`\n=== summary (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  for (const failure of tally.failures) console.log(`  FAILED: ${failure}`);
  console.log(
    `${tally.passed} passed, ${tally.failed} failed${tally.skipped > 0 ? `, ${tally.skipped} skipped` : ''}`,
  );
  process.exit(tally.failed > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.log(`${tally.passed} passed, ${tally.failed + 1} failed`);
  process.exit(1);
});
