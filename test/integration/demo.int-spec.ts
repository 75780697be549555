import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { parseCsv, validateFocusCsv, type FocusMetadata } from '@tokentally/domain-chargeback';

const ROOT = path.resolve(__dirname, '../..');

describe('npm run demo', () => {
  it('tells the month-over-month story and the ledger matches the generator to the nano', async () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'tools/bin/ts.js'), 'tools/demo/demo.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const output = `${run.stdout}${run.stderr}`;
    if (run.status !== 0)
      throw new Error(`demo failed (status ${run.status}, signal ${run.signal}):\n${output.slice(-4000)}`);
    expect(output).toMatch(/audit summary/);
    expect(output).toMatch(
      /Team Support: \$[\d,.]+ in \d{4}-\d{2} .*up [\d.]+%.*drivers: workflow ticket-summary/,
    );
    expect(output).toMatch(/Team Sales Assist: \$[\d,.]+ in \d{4}-\d{2} .*down [\d.]+%/);
    expect(output).toMatch(/Unattributed traffic: \$[\d,.]+, needs cleanup/);
    expect(output).toMatch(/exports: \.demo\/\d{4}-\d{2}\/statement\.csv/);
    expect(output).toMatch(/ledger matches generator: yes/);
    // why: the day the jump began, in words, with drivers that sum exactly (live alert or computed, said which)
    expect(output).toMatch(
      /the live anomaly detector fired|computed instead with the detector's decomposition/,
    );
    expect(output).toMatch(
      /Support \+\$[\d,.]+ on \d{4}-\d{2}-10 \(day 10\) vs a usual \w+day .*: \d+% from bigger prompts in workflow ticket-summary since template ticket-summary@v2/,
    );
    expect(output).toMatch(/drivers sum to -?\d+ nanos = observed \d+ - usual \d+: exactly/);
    // budget crossings of Support: 80% with the burn-rate forecast, and 100%
    expect(output).toMatch(
      /Support reached 80% of its \d{4}-\d{2} budget \(\$[\d.]+ of \$8000\.00\) on \d{4}-\d{2}-\d{2}; on this pace Support crosses 100% on the \d+(st|nd|rd|th)/,
    );
    expect(output).toMatch(/Support reached 100% of its \d{4}-\d{2} budget .* on \d{4}-\d{2}-\d{2}/);
    // the provider's bill: one planted difference, named by class with its exact nanos
    const planted = /planted: \d+ calls on (\d{4}-\d{2}-\d{2}) .*\), (\d+) nanos/.exec(output);
    expect(planted).not.toBeNull();
    expect(output).toMatch(/anthropic\/org-demo: provider .* BEYOND TOLERANCE/);
    expect(output).toContain(
      `on ${planted?.[1]} the reconciler names: missing_in_ledger ${planted?.[2]} nanos = the planted difference, to the nano; other days: all matched`,
    );
    expect(output).toMatch(/unattributed: \$[\d,.]+ of \$[\d,.]+ = [\d.]+%/);
    expect(output).toMatch(/http:\/\/127\.0\.0\.1:3305\/console\/#\/overview\?period=\d{4}-\d{2}/);
    // the demo's FOCUS exports pass the project's FOCUS 1.2 validator, metadata included
    const dir = path.join(ROOT, /exports: (\.demo\/\d{4}-\d{2})\//.exec(output)?.[1] ?? '.demo/none');
    const metadata = JSON.parse(readFileSync(path.join(dir, 'focus-metadata.json'), 'utf8')) as FocusMetadata;
    const csv = readFileSync(path.join(dir, 'focus.csv'), 'utf8');
    expect(validateFocusCsv(csv, metadata)).toEqual([]);
    const previous = /focus-(\d{4}-\d{2})\.csv/.exec(output)?.[1] ?? 'none';
    expect(validateFocusCsv(readFileSync(path.join(dir, `focus-${previous}.csv`), 'utf8'), metadata)).toEqual(
      [],
    );
    const rows = parseCsv(csv).rows;
    // a negotiated 10% Anthropic discount: contracted below list, as the rate book says
    const anthropic = rows.filter((r) => r.ProviderName === 'Anthropic' && r.ChargeCategory === 'Usage');
    expect(anthropic.length).toBeGreaterThan(0);
    expect(anthropic.every((r) => Number(r.ContractedUnitPrice) < Number(r.ListUnitPrice))).toBe(true);
    const parquet = readFileSync(path.join(dir, 'focus.parquet'));
    const back = await parquetReadObjects({
      file: parquet.buffer.slice(parquet.byteOffset, parquet.byteOffset + parquet.byteLength),
    });
    expect(back).toHaveLength(rows.length);
  }, 320_000);
});
