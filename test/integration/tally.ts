import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { stackEnv } from '@tokentally/testing';

const ROOT = path.resolve(__dirname, '../..');

/** Runs the real `tally` CLI against the test database; its stdout, or an error with everything it said. */
export function tally(...args: string[]): string {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'tools/bin/tally.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: stackEnv.databaseUrl },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0)
    throw new Error(
      `tally ${args.join(' ')} failed (status ${run.status}, signal ${run.signal}, ${run.error?.message ?? 'no spawn error'}): ${run.stderr}${run.stdout}`,
    );
  return run.stdout;
}
