import type { Pool } from 'pg';
import { z } from 'zod';
import { databaseEnv, loadConfig } from '@tokentally/platform-config';
import { createPool, migrate } from '@tokentally/platform-db';

/** Runs one CLI command against the configured database (migrated first), closing the pool after. */
export async function withDatabase<T>(command: string, work: (pool: Pool) => Promise<T>): Promise<T> {
  const config = loadConfig(command, z.object(databaseEnv));
  const pool = createPool({ connectionString: config.DATABASE_URL, max: 3, applicationName: 'tally' });
  try {
    await migrate(pool);
    return await work(pool);
  } finally {
    await pool.end();
  }
}
