import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A failure the user can act on: printed without a stack trace. */
export class StackError extends Error {
  override name = 'StackError';
}

/** True for a running process; a zombie (killed, not yet reaped by its parent) counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

export function readPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

export function portOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Who listens on a port, for error messages ("port 9092 is taken by pid 123: java ..."). */
export function describePortOwner(port: number): string {
  try {
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' }).trim();
    const match = /pid=(\d+)/.exec(out);
    if (!match?.[1]) return out || 'an unknown process';
    const cmd = readFileSync(`/proc/${match[1]}/cmdline`, 'utf8').split('\0').join(' ').slice(0, 160);
    return `pid ${match[1]} (${cmd})`;
  } catch {
    return 'an unknown process';
  }
}

/** Starts a long-running server detached from this process, output to a log file, pid to a pid file. */
export function spawnDetached(
  command: string,
  args: string[],
  options: { logFile: string; pidFile: string; cwd?: string; env?: NodeJS.ProcessEnv },
): number {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const out = openSync(options.logFile, 'a');
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  if (child.pid === undefined) throw new StackError(`could not start ${command}`);
  child.unref();
  writeFileSync(options.pidFile, String(child.pid));
  return child.pid;
}

export async function stopPid(pidFile: string, graceMs = 20000): Promise<boolean> {
  const pid = readPid(pidFile);
  rmSync(pidFile, { force: true });
  if (pid === undefined) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  return true;
}

export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  hint: string,
): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await probe().catch(() => false)) return Date.now() - started;
    await sleep(500);
  }
  throw new StackError(`${what} was not ready after ${Math.round(timeoutMs / 1000)} s. ${hint}`);
}

/**
 * Who answers on a port: the expected server, nobody, or something else. A server killed a moment ago
 * can still complete a connect while the kernel tears it down, so an answer that is not the expected
 * server is re-checked for a few seconds before it counts as a foreign process.
 */
export async function portHolder(
  port: number,
  isExpectedServer: () => Promise<boolean>,
  settleMs = 8000,
): Promise<'free' | 'expected' | 'other'> {
  const started = Date.now();
  for (;;) {
    if (!(await portOpen(port))) return 'free';
    if (await isExpectedServer().catch(() => false)) return 'expected';
    if (Date.now() - started >= settleMs) return 'other';
    await sleep(500);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function hasCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
