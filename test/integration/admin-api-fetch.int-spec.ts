import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AdminApiFetcher } from '@tokentally/adapters-http-provider-billing';
import { importExport } from '@tokentally/domain-reconciliation';
import { createPool, migrate } from '@tokentally/platform-db';
import { stackEnv } from '@tokentally/testing';
import { ServiceProcess } from './service-process';

// A local HTTP server plays the providers' admin APIs with fixture pages: no internet here.
const RUN = randomBytes(4).toString('hex');
const KEY = `sk-admin-${RUN}-never-printed`;
const FIXTURES = path.resolve(__dirname, '../../libs/domain/reconciliation/fixtures');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

/**
 * The real CLI with its exit status and both streams (the key must appear in neither). Asynchronous:
 * the fixture server runs in this process and must answer while the CLI waits.
 */
function tally(env: Record<string, string>, ...args: string[]) {
  const { OPENAI_ADMIN_KEY: _unset, ...inherited } = process.env;
  const child = spawn(process.execPath, [path.resolve(__dirname, '../../tools/bin/tally.js'), ...args], {
    env: { ...inherited, DATABASE_URL: stackEnv.databaseUrl, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (status) => resolve({ status, stdout, stderr })),
  );
}

/** The raw text of each page of a fixture (an array of pages, or JSON lines). */
function rawPages(name: string): string[] {
  const text = fixture(name).trim();
  if (!text.startsWith('[')) return text.split('\n').filter(Boolean);
  // split the top-level array by hand so every number keeps its written digits
  const pages: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 1; i < text.length; i += 1) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth += 1;
    } else if (c === '}') {
      depth -= 1;
      if (depth === 0) pages.push(text.slice(start, i + 1));
    }
  }
  return pages;
}

/** Anthropic's one-page fixture as two pages chained by a cursor (its amounts are strings: lossless). */
function twoPages(name: string): string[] {
  const page = JSON.parse(fixture(name)) as { data: { results: unknown[] }[] };
  const bucket = page.data[0]!;
  const half = Math.ceil(bucket.results.length / 2);
  return [
    {
      ...page,
      data: [{ ...bucket, results: bucket.results.slice(0, half) }],
      has_more: true,
      next_page: 'c2',
    },
    { ...page, data: [{ ...bucket, results: bucket.results.slice(half) }], has_more: false, next_page: null },
  ].map((p) => JSON.stringify(p));
}

const PAGES: Record<string, string[]> = {
  '/v1/organization/costs': rawPages('openai-costs.json'),
  '/v1/organization/usage/completions': rawPages('openai-usage.jsonl'),
  '/v1/organizations/cost_report': twoPages('anthropic-cost-report.json'),
  '/v1/organizations/usage_report/messages': twoPages('anthropic-usage-report.json'),
};

describe('admin API fetchers against a local server', () => {
  const pool = createPool({ connectionString: stackEnv.databaseUrl, max: 2 });
  const requests: { url: URL; headers: IncomingHttpHeaders }[] = [];
  let throttleNext = 0;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    await migrate(pool);
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      requests.push({ url, headers: request.headers });
      if (throttleNext > 0) {
        throttleNext -= 1;
        response.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
        return response.end('{"error":{"message":"rate limited"}}');
      }
      const key = request.headers.authorization?.replace('Bearer ', '') ?? request.headers['x-api-key'];
      if (key !== KEY) {
        response.writeHead(401, { 'content-type': 'application/json' });
        return response.end('{"error":{"message":"invalid admin key"}}');
      }
      const pages = PAGES[url.pathname.replace(/^\/mock/, '')];
      const page = url.searchParams.get('page');
      const index = page === null ? 0 : page === 'page_2' || page === 'c2' ? 1 : -1;
      if (!pages || !pages[index]) {
        response.writeHead(404);
        return response.end('{}');
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(pages[index]);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mock`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await pool.end();
  });

  it('follows next_page through every page, with the provider auth, and keeps each page exact', async () => {
    requests.length = 0;
    throttleNext = 1; // the first request is throttled once: retried after Retry-After
    const reports = await new AdminApiFetcher('openai', { baseUrl: base, adminKey: KEY }).fetchReports(
      '2026-11-16',
      '2026-11-17',
    );
    expect(reports.map((r) => [r.format, r.pages])).toEqual([
      ['openai-usage', 2],
      ['openai-costs', 2],
    ]);
    expect(requests.map((r) => `${r.url.pathname} ${r.url.searchParams.get('page')}`)).toEqual([
      '/mock/v1/organization/usage/completions null',
      '/mock/v1/organization/usage/completions null',
      '/mock/v1/organization/usage/completions page_2',
      '/mock/v1/organization/costs null',
      '/mock/v1/organization/costs page_2',
    ]);
    expect(requests.every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(requests[0]!.url.searchParams.get('start_time')).toBe('1794787200');
    // the fetched pages import exactly as the fixture file does
    const costs = reports.find((r) => r.format === 'openai-costs')!.content;
    expect(importExport('openai-costs', costs, { accountId: 'a' }).lines.map((l) => l.amountNanos)).toEqual(
      importExport('openai-costs', fixture('openai-costs.json'), { accountId: 'a' }).lines.map(
        (l) => l.amountNanos,
      ),
    );
  });

  it('pages Anthropic reports with x-api-key and names an HTTP error without the key', async () => {
    requests.length = 0;
    const reports = await new AdminApiFetcher('anthropic', { baseUrl: base, adminKey: KEY }).fetchReports(
      '2026-11-16',
      '2026-11-16',
    );
    expect(reports.map((r) => [r.format, r.pages])).toEqual([
      ['anthropic-usage-report', 2],
      ['anthropic-cost-report', 2],
    ]);
    expect(requests.every((r) => r.headers['x-api-key'] === KEY && r.headers['anthropic-version'])).toBe(
      true,
    );
    const wrong = new AdminApiFetcher('anthropic', { baseUrl: base, adminKey: `${KEY}-wrong` });
    const error = await wrong.fetchReports('2026-11-16', '2026-11-16').then(
      () => 'no error',
      (e: Error) => e.message,
    );
    expect(error).toContain('HTTP 401');
    expect(error).not.toContain(KEY);
  });

  it('tally reconcile fetch imports the pages once, and never prints the admin key', async () => {
    const account = `org-fetch-${RUN}`;
    const env = { OPENAI_ADMIN_KEY: KEY, OPENAI_ADMIN_BASE_URL: base };
    const run = () =>
      tally(
        env,
        'reconcile',
        'fetch',
        '--provider',
        'openai',
        '--from',
        '2026-11-16',
        '--to',
        '2026-11-17',
        '--account',
        account,
        '--no-publish',
      );
    const first = await run();
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/openai-usage: 2 pages, 5 lines \(5 new, 0 corrected, 0 unchanged\)/);
    expect(first.stdout).toMatch(/openai-costs: 2 pages, 5 lines \(5 new, 0 corrected, 0 unchanged\)/);
    expect((await run()).stdout).toMatch(
      /openai-costs: 2 pages, (\d+) lines \(0 new, 0 corrected, \1 unchanged\)/,
    );
    expect(`${first.stdout}${first.stderr}`).not.toContain(KEY);
    const { rows } = await pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM tokentally.provider_cost_lines WHERE account_id = $1 AND superseded_at IS NULL',
      [account],
    );
    expect(Number(rows[0]!.n)).toBeGreaterThan(2);
    const missing = await tally(
      { OPENAI_ADMIN_BASE_URL: base },
      'reconcile',
      'fetch',
      '--provider',
      'openai',
      '--from',
      '2026-11-16',
      '--to',
      '2026-11-16',
    );
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('OPENAI_ADMIN_KEY');
  });

  it('the reconciler fetches on request with the key it holds, and refuses a provider without one', async () => {
    const token = `fetch-upload-token-${RUN}`;
    const service = new ServiceProcess('reconciler', 3247, {
      DATABASE_URL: stackEnv.databaseUrl,
      RECONCILE_UPLOAD_TOKENS: token,
      ANTHROPIC_ADMIN_KEY: KEY,
      ANTHROPIC_ADMIN_BASE_URL: base,
      LOG_LEVEL: 'warn',
    });
    service.start();
    try {
      await service.healthy();
      const post = (query: string) =>
        fetch(`${service.url}/v1/reconciliation/fetches?${query}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        });
      const response = await post(`provider=anthropic&from=2026-11-16&to=2026-11-16&account=org-svc-${RUN}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { reports: { format: string; inserted: number }[] };
      expect(body.reports.map((r) => r.format)).toEqual(['anthropic-usage-report', 'anthropic-cost-report']);
      expect(body.reports.every((r) => r.inserted > 0)).toBe(true);
      expect(JSON.stringify(body)).not.toContain(KEY);
      expect((await post('provider=openai&from=2026-11-16&to=2026-11-16')).status).toBe(400);
      expect((await post('provider=azure&from=2026-11-16&to=2026-11-16')).status).toBe(400);
    } finally {
      await service.stop();
    }
  }, 120_000);
});
