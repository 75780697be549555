import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRedisClient } from '@tokentally/platform-redis';
import { waitUntil } from '@tokentally/testing';

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A redis-server of a test's own, on a free port with its own data directory, so a test may kill and
 * restart it (never the shared stack's Redis). `persistence`: 'aof' writes every command to the
 * append-only file before answering (appendfsync always), 'none' keeps nothing across a restart.
 */
export class RedisProcess {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'tt-redis-'));
  private child?: ChildProcess;
  private exited?: Promise<void>;

  constructor(
    readonly port: number,
    private readonly persistence: 'aof' | 'none',
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', ''];
    args.push(
      ...(this.persistence === 'aof'
        ? ['--appendonly', 'yes', '--appendfsync', 'always']
        : ['--appendonly', 'no']),
    );
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.exited = new Promise((resolve) => child.on('exit', () => resolve()));
    this.child = child;
    const client = createRedisClient(this.url);
    client.on('error', () => undefined);
    try {
      await waitUntil(
        `redis-server on ${this.port}`,
        async () => {
          if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
          if (client.status === 'wait') await client.connect();
          return (await client.ping()) === 'PONG';
        },
        15_000,
        100,
      );
    } finally {
      client.disconnect();
    }
  }

  /** kill -9: no SHUTDOWN, nothing flushed that was not already written. */
  async kill(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
