import type { Command } from 'commander';
import { z } from 'zod';
import { databaseEnv, loadConfig } from '@tokentally/platform-config';
import { createPool, migrate } from '@tokentally/platform-db';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('ledger database');
  db.command('migrate')
    .description('apply pending SQL migrations to DATABASE_URL (services also migrate at start)')
    .action(async () => {
      const config = loadConfig('tally db migrate', z.object(databaseEnv));
      const pool = createPool({ connectionString: config.DATABASE_URL, max: 1, applicationName: 'tally' });
      try {
        const result = await migrate(pool, undefined, (name) => console.log(`applied ${name}`));
        console.log(
          `migrations: ${result.applied.length} applied, ${result.alreadyApplied} already up to date`,
        );
      } finally {
        await pool.end();
      }
    });
}
