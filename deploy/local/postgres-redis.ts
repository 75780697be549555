import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { Client } from 'pg';
import { StackError, hasCommand, portOpen, waitFor } from './processes';
import { stackConfig } from './stack-config';

const pg = stackConfig.postgres;

function pgEndpoint(): { host: string; port: number } {
  const url = new URL(pg.adminUrl);
  return { host: url.hostname, port: Number(url.port || 5432) };
}

/** Starts the machine's PostgreSQL cluster from Debian's packages if nothing listens yet. */
async function ensurePostgresRunning(log: (line: string) => void): Promise<'reused' | 'started'> {
  const { host, port } = pgEndpoint();
  if (await portOpen(port, host)) return 'reused';
  if (!hasCommand('pg_ctlcluster') || !existsSync('/etc/postgresql')) {
    throw new StackError(
      `PostgreSQL is not listening on ${host}:${port} and no Debian cluster is installed: apt-get install postgresql, or set TOKENTALLY_PG_ADMIN_URL`,
    );
  }
  const version = readdirSync('/etc/postgresql').sort().pop() ?? '';
  log(`postgres: starting cluster ${version}/main`);
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {
    stdio: 'inherit',
  });
  await waitFor(
    'PostgreSQL',
    () => portOpen(port, host),
    30000,
    'Check the cluster log under /var/log/postgresql.',
  );
  return 'started';
}

/** Idempotently creates the project's role and databases (ledger, test ledger, registry storage). */
export async function ensurePostgres(log: (line: string) => void): Promise<void> {
  const how = await ensurePostgresRunning(log);
  const admin = new Client({ connectionString: pg.adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new StackError(
      `cannot connect to PostgreSQL as admin (${pg.adminUrl}): ${(error as Error).message}. Set TOKENTALLY_PG_ADMIN_URL to a superuser URL.`,
    );
  }
  try {
    const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [pg.role]);
    if (role.rowCount === 0) {
      await admin.query(`CREATE ROLE ${pg.role} LOGIN PASSWORD '${pg.password.replace(/'/g, "''")}'`);
      log(`postgres: created role ${pg.role}`);
    }
    for (const db of pg.databases) {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db]);
      if (exists.rowCount === 0) {
        await admin.query(`CREATE DATABASE ${db} OWNER ${pg.role}`);
        log(`postgres: created database ${db}`);
      }
    }
  } finally {
    await admin.end();
  }
  if (how === 'reused') log(`postgres: reusing the server on ${pgEndpoint().host}:${pgEndpoint().port}`);
}

export async function postgresReady(): Promise<string> {
  const client = new Client({
    connectionString: `postgres://${pg.role}:${pg.password}@${pgEndpoint().host}:${pgEndpoint().port}/tokentally`,
    connectionTimeoutMillis: 2000,
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    return `PostgreSQL ${rows[0]?.v ?? '?'}, databases ${pg.databases.join(', ')}`;
  } finally {
    await client.end();
  }
}

export function redisPing(timeoutMs = 1500): Promise<string> {
  const { host, port } = stackConfig.redis;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error('timeout'));
    });
    socket.once('error', reject);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      const answer = data.toString().trim();
      if (answer === '+PONG') resolve('PONG');
      else reject(new Error(`redis answered ${answer}`));
    });
  });
}

/** Reuses the machine's Redis or starts one from Debian's redis-server (no persistence, loopback only). */
export async function ensureRedis(log: (line: string) => void): Promise<void> {
  const { host, port } = stackConfig.redis;
  if (
    await redisPing().then(
      () => true,
      () => false,
    )
  ) {
    log(`redis: reusing the server on ${host}:${port}`);
    return;
  }
  if (await portOpen(port, host)) throw new StackError(`port ${port} is open but does not answer Redis PING`);
  if (!hasCommand('redis-server'))
    throw new StackError(
      `Redis is not running on ${host}:${port} and redis-server is not installed: apt-get install redis-server`,
    );
  execFileSync(
    'redis-server',
    ['--daemonize', 'yes', '--bind', host, '--port', String(port), '--save', '', '--appendonly', 'no'],
    { stdio: 'inherit' },
  );
  await waitFor('Redis', () => redisPing().then(() => true), 15000, 'Check redis-server output.');
  log(`redis: started on ${host}:${port}`);
}
