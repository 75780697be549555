import { Pool, types, type PoolClient } from 'pg';

// int8 (bigint) columns hold nano-USD: parse them as BigInt, never as lossy JS numbers.
types.setTypeParser(types.builtins.INT8, (value: string) => BigInt(value));

export interface PoolOptions {
  connectionString: string;
  max?: number;
  applicationName?: string;
  /** Told about connections that broke (server restart, network); default: ignored. */
  onError?: (error: Error) => void;
}

/**
 * A pg pool that survives a server restart. pg emits 'error' on the pool for an idle connection and on
 * the client for a checked-out one that is between queries; without a listener either event kills the
 * process. The broken connection is discarded either way, and the next query opens a new one (queries
 * in flight fail and are retried by their caller).
 */
export function createPool(options: PoolOptions): Pool {
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'tokentally',
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30000,
  });
  const onError = options.onError ?? ((): void => undefined);
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  return pool;
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
