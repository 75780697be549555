import { Pool, types, type PoolClient } from 'pg';

// int8 (bigint) columns hold nano-USD: parse them as BigInt, never as lossy JS numbers.
types.setTypeParser(types.builtins.INT8, (value: string) => BigInt(value));

export interface PoolOptions {
  connectionString: string;
  max?: number;
  applicationName?: string;
}

export function createPool(options: PoolOptions): Pool {
  return new Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'tokentally',
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30000,
  });
}

/** Readiness probe. */
export async function pingDatabase(pool: Pool): Promise<string> {
  const result = await pool.query<{ version: string }>('SELECT current_setting($1) AS version', [
    'server_version',
  ]);
  return `postgres ${result.rows[0]?.version ?? '?'}`;
}

/** Runs `work` as one transaction on `client`: COMMIT when it resolves, ROLLBACK and rethrow when it throws. */
export async function inTransaction<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
