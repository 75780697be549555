import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ALL_TOPICS } from '@tokentally/contracts';
import { stackEnv } from '@tokentally/testing';

const ROOT = path.resolve(__dirname, '../..');

function tally(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'tools/bin/tally.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: stackEnv.databaseUrl },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('tally CLI', () => {
  it('prints help and exits 0', () => {
    const help = tally('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: tally/);
    expect(help.stdout).toMatch(/topics/);
  });

  it('exits non-zero with a clear message on an unknown command or bad configuration', () => {
    const unknown = tally('nope');
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown command 'nope'/);
    const bad = spawnSync(process.execPath, [path.join(ROOT, 'tools/bin/tally.js'), 'db', 'migrate'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: 'not a url' },
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/DATABASE_URL: must be a URL/);
  });

  it('applies migrations idempotently', () => {
    const first = tally('db', 'migrate');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/migrations: \d+ applied, \d+ already up to date/);
    expect(tally('db', 'migrate').stdout).toMatch(/migrations: 0 applied/);
  });

  it('lists every contract topic from the broker', () => {
    const list = tally('topics', 'list');
    expect(list.status).toBe(0);
    for (const topic of ALL_TOPICS)
      expect(list.stdout).toMatch(
        new RegExp(`^${topic.name.replace(/\./g, '\\.')}\\s+${topic.partitions}\\s`, 'm'),
      );
    expect(list.stdout).not.toMatch(/missing/);
  });
});
