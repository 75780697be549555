import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..');
const PROMTOOL = process.env['PROMTOOL'] ?? '/usr/bin/promtool';
const RULES = path.join(__dirname, 'prometheus/tokentally-alerts.yml');

/** Every metric name the code declares with prom-client (histograms also as _bucket, _sum, _count). */
function exportedMetrics(): Set<string> {
  const names = new Set(['up']);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (entry === 'node_modules') continue;
      if (statSync(full).isDirectory()) walk(full);
      else if (full.endsWith('.ts') && !/\.(spec|int-spec)\.ts$/.test(full)) {
        const text = readFileSync(full, 'utf8');
        for (const [, kind, name] of text.matchAll(
          /new (Counter|Gauge|Histogram)\(\{\s*name: '(tokentally_\w+)'/g,
        )) {
          names.add(name ?? '');
          if (kind === 'Histogram')
            for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
        }
      }
    }
  };
  walk(path.join(ROOT, 'libs'));
  walk(path.join(ROOT, 'services'));
  return names;
}

const referenced = (expr: string): string[] =>
  [...expr.matchAll(/\b(tokentally_\w+|up)\b(?=\s*[{[)]|\s*$|\s)/g)].map((m) => m[1] ?? '');

function promtool(...args: string[]): { status: number | null; output: string } {
  if (!existsSync(PROMTOOL))
    throw new Error(
      `${PROMTOOL} is missing: npm test installs Debian's prometheus package (or apt-get install prometheus)`,
    );
  const run = spawnSync(PROMTOOL, args, { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

interface RuleFile {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[];
}

describe('deploy/prometheus alert rules', () => {
  const rules = parse(readFileSync(RULES, 'utf8')) as RuleFile;
  const alerts = rules.groups.flatMap((g) => g.rules);

  it('pass promtool check rules, and promtool test rules (each alert fires on its series, not before)', () => {
    const check = promtool('check', 'rules', RULES);
    expect(check.output).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(check.status).toBe(0);
    const test = promtool('test', 'rules', path.join(__dirname, 'prometheus/tokentally-alerts.test.yml'));
    expect(test.output).toContain('SUCCESS');
    expect(test.status).toBe(0);
    const config = promtool(
      'check',
      'config',
      '--syntax-only',
      path.join(__dirname, 'prometheus/prometheus.yml'),
    );
    expect(config.status).toBe(0);
  });

  it('cover a service down, lag growing, a quarantine spike and unattributed share above 2%, on exported metrics', () => {
    expect(alerts.map((a) => a.alert)).toEqual(
      expect.arrayContaining([
        'TokentallyServiceDown',
        'TokentallyConsumerLagGrowing',
        'TokentallyQuarantineSpike',
        'TokentallyUnattributedShareHigh',
      ]),
    );
    expect(alerts.find((a) => a.alert === 'TokentallyUnattributedShareHigh')?.expr).toMatch(/> 0\.02\s*$/);
    const exported = exportedMetrics();
    for (const alert of alerts)
      for (const name of referenced(alert.expr))
        expect([alert.alert, exported.has(name) ? name : `unknown ${name}`]).toEqual([alert.alert, name]);
  });
});

describe('deploy/grafana/tokentally.json', () => {
  const dashboard = JSON.parse(readFileSync(path.join(__dirname, 'grafana/tokentally.json'), 'utf8')) as {
    panels: { title: string; datasource: { uid: string }; targets: { expr: string }[] }[];
  };
  const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ title: p.title, expr: t.expr })));

  it('has panels for lag, throughput, errors, quarantine and spend rate by team, on an importable data source', () => {
    const titles = dashboard.panels.map((p) => p.title.toLowerCase()).join(' | ');
    for (const topic of ['lag', 'throughput', 'errors', 'quarantine', 'spend rate by team'])
      expect(titles).toContain(topic);
    for (const panel of dashboard.panels) expect(panel.datasource.uid).toBe('${DS_PROMETHEUS}');
  });

  it('queries only metrics the services export, in PromQL promtool parses', () => {
    const exported = exportedMetrics();
    for (const { title, expr } of exprs)
      for (const name of referenced(expr))
        expect([title, exported.has(name) ? name : `unknown ${name}`]).toEqual([title, name]);
    // each query as a recording rule: promtool parses and checks them like any rule
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'grafana-')), 'queries.yml');
    const recording = exprs.map(({ expr }, n) => ({ record: `tokentally:dashboard_query_${n}`, expr }));
    writeFileSync(file, JSON.stringify({ groups: [{ name: 'dashboard', rules: recording }] }));
    const check = promtool('check', 'rules', file);
    expect(check.output).toContain(`SUCCESS: ${exprs.length} rules found`);
  });
});
