import type { Command } from 'commander';
import { z } from 'zod';
import { deploymentEnv, loadConfig } from '@tokentally/platform-config';
import { FETCH_PROVIDERS, importAndReconcile, isFetchProvider } from '@tokentally/domain-reconciliation';
import { AdminApiFetcher } from '@tokentally/adapters-http-provider-billing';
import { reconciliationStores } from '@tokentally/adapters-postgres-reconciliation';
// tools may read a service's env schema (and nothing else of it): the admin API settings are the reconciler's
import { adminApiOf, providerFetchEnv } from '../../../services/reconciler/src/config';
import { withDatabase } from '../database';
import { day, optionsFor, printCells, publishRun, type Tolerances } from './reconcile.command';

/** `tally reconcile fetch`: a provider's usage and cost reports from its admin API, imported and reconciled. */
export function registerReconcileFetch(reconcile: Command, tolerance: (command: Command) => Command): void {
  tolerance(
    reconcile
      .command('fetch')
      .description(
        'fetch the usage and cost reports of UTC days from the provider admin API (OPENAI_ADMIN_KEY / ANTHROPIC_ADMIN_KEY, *_ADMIN_BASE_URL), import and reconcile them',
      )
      .requiredOption('--provider <provider>', FETCH_PROVIDERS.join(' or '))
      .requiredOption('--from <day>', 'first UTC day, YYYY-MM-DD')
      .requiredOption('--to <day>', 'last UTC day, inclusive')
      .option('--account <account>', 'account to book lines under (the OpenAI or Anthropic organization)')
      .option('--no-publish', 'store and reconcile only; publish nothing on Kafka'),
  ).action(
    async (
      options: Tolerances & {
        provider: string;
        from: string;
        to: string;
        account?: string;
        publish: boolean;
      },
    ) => {
      if (!isFetchProvider(options.provider))
        throw new Error(`--provider must be one of ${FETCH_PROVIDERS.join(', ')}`);
      const provider = options.provider;
      const [from, to] = [day(options.from, '--from'), day(options.to, '--to')];
      if (to < from) throw new Error(`--to ${to} is before --from ${from}`);
      const config = loadConfig('tally reconcile fetch', z.object({ ...deploymentEnv, ...providerFetchEnv }));
      const fetcher = new AdminApiFetcher(provider, adminApiOf(config, provider));
      const reports = await fetcher.fetchReports(from, to, (format, page) =>
        console.error(`fetched ${format} page ${page}`),
      );
      await withDatabase('tally reconcile fetch', async (pool) => {
        const reconcileOptions = await optionsFor(pool, options);
        for (const report of reports) {
          const summary = await importAndReconcile(
            reconciliationStores(pool),
            report.format,
            report.content,
            {
              fileName: `${provider}-${report.format}-${from}..${to}.json`,
              ...(options.account ? { accountId: options.account } : {}),
            },
            reconcileOptions,
          );
          console.log(
            `${report.format}: ${report.pages} pages, ${summary.lines} lines (${summary.inserted} new, ${summary.corrected} corrected, ${summary.unchanged} unchanged), ${summary.skipped.length} rows skipped`,
          );
          if (!summary.run) continue;
          printCells(summary.run.cells, true);
          if (options.publish)
            await publishRun(
              summary.run,
              summary.changed.map((c) => [c.line, c.revision, c.correctionNanos, 0]),
            );
        }
      });
    },
  );
}
