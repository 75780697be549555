import type { Pool } from 'pg';
import { stackConfig } from '@tokentally/deploy';
import { createPool, migrate } from '@tokentally/platform-db';

/** URL of one of the stack's databases (`npm run stack:up` creates them) as the project role. */
export function stackDatabaseUrl(database: string): string {
  const url = new URL(stackConfig.postgres.adminUrl);
  url.username = stackConfig.postgres.role;
  url.password = stackConfig.postgres.password;
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A pool on a database that belongs to one tool (the demo, a benchmark): emptied of every tokentally
 * table and migrated afresh, so each run starts from nothing. Never point it at a database with data.
 */
export async function openScratchDatabase(database: string, applicationName: string): Promise<Pool> {
  const pool = createPool({ connectionString: stackDatabaseUrl(database), max: 4, applicationName });
  await pool.query('DROP SCHEMA IF EXISTS tokentally CASCADE');
  await pool.query('DROP TABLE IF EXISTS public.tokentally_migrations');
  await migrate(pool);
  return pool;
}
