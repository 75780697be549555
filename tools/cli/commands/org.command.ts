import type { Command } from 'commander';
import { parseOrgDeclaration } from '@tokentally/domain-enrichment';
import { OrgRepository } from '@tokentally/adapters-postgres-ledger';
import { withDatabase } from '../database';
import { readValidatedYaml } from '../yaml-file';

export function registerOrgCommands(program: Command): void {
  const org = program
    .command('org')
    .description('org registry: teams, api keys, service accounts, budgets, allocation rules');
  org
    .command('apply')
    .description(
      'validate an org YAML file and make it the registry (one transaction; services pick it up within ORG_REFRESH_MS)',
    )
    .argument('<file>', 'org YAML file (see docs/org.example.yaml)')
    .option('--dry-run', 'validate only, change nothing')
    .action(async (file: string, options: { dryRun?: boolean }) => {
      const declaration = readValidatedYaml(file, parseOrgDeclaration);
      const { teams, api_keys, service_accounts, allocation_rules } = declaration;
      const budgets = declaration.budgets?.length ?? 0;
      const caps = declaration.request_caps?.length ?? 0;
      const summary = `${teams.length} teams, ${api_keys.length} api keys, ${service_accounts.length} service accounts, ${allocation_rules.length} allocation rules, ${budgets} budgets, ${caps} request caps`;
      if (options.dryRun) {
        console.log(`${file} is valid: ${summary}`);
        return;
      }
      await withDatabase('tally org apply', async (pool) => {
        const result = await new OrgRepository(pool).apply(declaration);
        console.log(
          result.changed
            ? `org registry version ${result.version} applied: ${summary}`
            : `org registry unchanged (version ${result.version}): ${summary}`,
        );
      });
    });
}
