import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { waitUntil } from '@tokentally/testing';

const ROOT = path.resolve(__dirname, '../..');

/** A service started as its own process, exactly as `npm start` runs it. */
export class ServiceProcess {
  readonly output: string[] = [];
  private child?: ChildProcess;
  private exited?: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string> = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  start(): void {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'tools/bin/ts.js'), `services/${this.name}/src/main.ts`],
      {
        cwd: ROOT,
        env: { ...process.env, HTTP_PORT: String(this.port), ...this.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    this.child = child;
  }

  async healthy(timeoutMs = 90000): Promise<void> {
    await waitUntil(
      `${this.name} /health`,
      async () => {
        if (this.child?.exitCode !== null) throw new Error(`${this.name} exited: ${this.output.join('')}`);
        return (await fetch(`${this.url}/health`)).status === 200;
      },
      timeoutMs,
      300,
    );
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** kill -9: no shutdown hook runs, nothing is flushed or committed. */
  async kill(): Promise<void> {
    if (!this.running || !this.child) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then the exit code (or 'timeout'). */
  async stop(timeoutMs = 30000): Promise<number | null | 'timeout'> {
    if (!this.child || this.child.exitCode !== null) return this.child?.exitCode ?? null;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const code = await Promise.race([this.exited ?? Promise.resolve(null), timeout]).finally(() =>
      clearTimeout(timer),
    );
    if (code === 'timeout') this.child.kill('SIGKILL');
    return code;
  }
}
