import { Command, CommanderError } from 'commander';
import { registerAlertsCommands } from './commands/alerts.command';
import { registerBudgetCommands } from './commands/budget.command';
import { registerCoverageCommand } from './commands/coverage.command';
import { registerDbCommands } from './commands/db.command';
import { registerDigestCommand } from './commands/digest.command';
import { registerExplainCommand } from './commands/explain.command';
import { registerLagCommand } from './commands/lag.command';
import { registerOrgCommands } from './commands/org.command';
import { registerQuarantineCommands } from './commands/quarantine.command';
import { registerRatesCommands } from './commands/rates.command';
import { registerRefsCommand } from './commands/refs.command';
import { registerReconcileCommands } from './commands/reconcile.command';
import { registerRepriceCommand } from './commands/reprice.command';
import { registerReportCommands } from './commands/report.command';
import { registerTopicsCommands } from './commands/topics.command';

/**
 * `tally`: the one command line of tokentally. Subcommands grow with the pipeline (org, rates,
 * quarantine, explain, reprice, report, period, alerts, digest); each validates its input, prints progress on long
 * work and exits non-zero on failure.
 */
export function buildCli(): Command {
  const program = new Command('tally')
    .description('tokentally: every LLM call an auditable cost with an owner')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerDbCommands(program);
  registerOrgCommands(program);
  registerRatesCommands(program);
  registerExplainCommand(program);
  registerRepriceCommand(program);
  registerReportCommands(program);
  registerQuarantineCommands(program);
  registerReconcileCommands(program);
  registerCoverageCommand(program);
  registerTopicsCommands(program);
  registerBudgetCommands(program);
  registerRefsCommand(program);
  registerAlertsCommands(program);
  registerDigestCommand(program);
  registerLagCommand(program);
  return program;
}

if (require.main === module) {
  buildCli()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      if (error instanceof CommanderError) process.exit(error.exitCode);
      console.error(`tally: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}
