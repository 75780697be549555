import type { ImportFormat } from '../importers/formats';

/** Providers whose admin APIs tokentally can fetch cost and usage pages from. */
export const FETCH_PROVIDERS = ['openai', 'anthropic'] as const;
export type FetchProvider = (typeof FETCH_PROVIDERS)[number];

export const isFetchProvider = (value: string): value is FetchProvider =>
  (FETCH_PROVIDERS as readonly string[]).includes(value);

/** One paginated admin API report: where it lives, its query, and the importer its pages go to. */
export interface ReportRequest {
  format: ImportFormat;
  path: string;
  query: [string, string][];
}

const DAY_MS = 86_400_000;
const dayStart = (day: string): number => {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(ms))
    throw new Error(`"${day}" is not a UTC day, YYYY-MM-DD`);
  return ms;
};

/**
 * The cost and usage reports of UTC days [from, to] (inclusive) with daily buckets, grouped so every
 * cell the reconciler compares can be told apart. Usage first: cost lines take their token counts from
 * it. The end is exclusive in both APIs (the day after `to`); one page holds up to 31 daily buckets.
 */
export function reportRequests(provider: FetchProvider, from: string, to: string): ReportRequest[] {
  const start = dayStart(from);
  const end = dayStart(to) + DAY_MS;
  if (end <= start) throw new Error(`--to ${to} is before --from ${from}`);
  if (provider === 'openai') {
    const window: [string, string][] = [
      ['start_time', String(start / 1000)],
      ['end_time', String(end / 1000)],
      ['bucket_width', '1d'],
    ];
    return [
      {
        format: 'openai-usage',
        path: '/v1/organization/usage/completions',
        query: [...window, ['group_by', 'project_id,model,batch,service_tier'], ['limit', '31']],
      },
      {
        format: 'openai-costs',
        path: '/v1/organization/costs',
        query: [...window, ['group_by', 'project_id,line_item'], ['limit', '31']],
      },
    ];
  }
  const window: [string, string][] = [
    ['starting_at', new Date(start).toISOString().replace('.000Z', 'Z')],
    ['ending_at', new Date(end).toISOString().replace('.000Z', 'Z')],
    ['bucket_width', '1d'],
    ['limit', '31'],
  ];
  const groups = (...names: string[]): [string, string][] => names.map((name) => ['group_by[]', name]);
  return [
    {
      format: 'anthropic-usage-report',
      path: '/v1/organizations/usage_report/messages',
      query: [
        ...window,
        ...groups('workspace_id', 'model', 'service_tier', 'context_window', 'inference_geo'),
      ],
    },
    {
      format: 'anthropic-cost-report',
      path: '/v1/organizations/cost_report',
      query: [...window, ...groups('workspace_id', 'description')],
    },
  ];
}

/** The URL of one page: the base URL's own path prefix kept, `page` added after the first. */
export function pageUrl(baseUrl: string, request: ReportRequest, page: string | null): URL {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '')}${request.path}`;
  for (const [name, value] of request.query) url.searchParams.append(name, value);
  if (page !== null) url.searchParams.set('page', page);
  return url;
}

/** The cursor of the next page (`has_more` with `next_page`), null on the last one. */
export function nextPage(page: unknown): string | null {
  if (typeof page !== 'object' || page === null) throw new Error('a report page is not a JSON object');
  const { has_more: more, next_page: next } = page as { has_more?: unknown; next_page?: unknown };
  if (more !== true) return null;
  if (typeof next !== 'string' || next === '') throw new Error('a page says has_more but gives no next_page');
  return next;
}

/** The authentication headers of each provider's admin API. */
export function adminHeaders(provider: FetchProvider, adminKey: string): Record<string, string> {
  return provider === 'openai'
    ? { authorization: `Bearer ${adminKey}` }
    : { 'x-api-key': adminKey, 'anthropic-version': '2023-06-01' };
}

/**
 * The pages of one report as an importer reads them: their exact texts in a JSON array (amounts are
 * never parsed through a float on the way).
 */
export const pagesDocument = (pages: readonly string[]): string =>
  `[${pages.map((p) => p.trim()).join(',\n')}]`;
