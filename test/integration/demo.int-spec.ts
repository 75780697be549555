import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

describe('npm run demo', () => {
  it('tells the month-over-month story and the ledger matches the generator to the nano', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'tools/bin/ts.js'), 'tools/demo/demo.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 170_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const output = `${run.stdout}${run.stderr}`;
    if (run.status !== 0)
      throw new Error(`demo failed (status ${run.status}, signal ${run.signal}):\n${output.slice(-4000)}`);
    expect(output).toMatch(/audit summary/);
    expect(output).toMatch(
      /Team Support: \$[\d,.]+ this month .*up [\d.]+%.*drivers: workflow ticket-summary/,
    );
    expect(output).toMatch(/Team Sales Assist: \$[\d,.]+ this month .*down [\d.]+%/);
    expect(output).toMatch(/Unattributed traffic: \$[\d,.]+, needs cleanup/);
    expect(output).toMatch(/exports: \.demo\/\d{4}-\d{2}\/statement\.csv/);
    expect(output).toMatch(/ledger matches generator: yes/);
  });
});
