import { adminHeaders, nextPage, pagesDocument, pageUrl, reportRequests } from './admin-api';
import { importExport } from '../importers/formats';

describe('admin API report requests', () => {
  it('asks OpenAI for daily usage then costs of the days, end exclusive, in unix seconds', () => {
    const [usage, costs] = reportRequests('openai', '2026-11-16', '2026-11-17');
    expect(usage?.format).toBe('openai-usage');
    expect(pageUrl('https://api.openai.com', costs!, null).toString()).toBe(
      'https://api.openai.com/v1/organization/costs?start_time=1794787200&end_time=1794960000&bucket_width=1d&group_by=project_id%2Cline_item&limit=31',
    );
    expect(pageUrl('http://127.0.0.1:9/prefix/', usage!, 'page_2').searchParams.get('page')).toBe('page_2');
    expect(pageUrl('http://127.0.0.1:9/prefix/', usage!, null).pathname).toBe(
      '/prefix/v1/organization/usage/completions',
    );
  });

  it('asks Anthropic with RFC 3339 bounds and repeated group_by[]', () => {
    const [usage, costs] = reportRequests('anthropic', '2026-11-16', '2026-11-16');
    expect(usage?.format).toBe('anthropic-usage-report');
    const url = pageUrl('https://api.anthropic.com', costs!, 'cursor 1');
    expect(url.pathname).toBe('/v1/organizations/cost_report');
    expect(url.searchParams.get('starting_at')).toBe('2026-11-16T00:00:00Z');
    expect(url.searchParams.get('ending_at')).toBe('2026-11-17T00:00:00Z');
    expect(url.searchParams.getAll('group_by[]')).toEqual(['workspace_id', 'description']);
    expect(url.searchParams.get('page')).toBe('cursor 1');
  });

  it.each([
    ['2026-11-17', '2026-11-16', /before/],
    ['2026-11-xx', '2026-11-16', /UTC day/],
  ])('refuses %s..%s', (from, to, message) => {
    expect(() => reportRequests('openai', from, to)).toThrow(message);
  });

  it('follows has_more / next_page and stops on the last page', () => {
    expect(nextPage({ has_more: true, next_page: 'page_2' })).toBe('page_2');
    expect(nextPage({ has_more: false, next_page: 'page_2' })).toBeNull();
    expect(nextPage({ data: [] })).toBeNull();
    expect(() => nextPage({ has_more: true, next_page: null })).toThrow(/next_page/);
    expect(() => nextPage('x')).toThrow(/object/);
  });

  it('sends each provider its own auth header', () => {
    expect(adminHeaders('openai', 'k')).toEqual({ authorization: 'Bearer k' });
    expect(adminHeaders('anthropic', 'k')).toEqual({ 'x-api-key': 'k', 'anthropic-version': '2023-06-01' });
  });

  it('joins page texts so amounts keep every digit', () => {
    const page = (value: string, more: boolean) =>
      `{"object":"page","data":[{"object":"bucket","start_time":1794787200,"end_time":1794873600,"results":[{"object":"organization.costs.result","amount":{"value":${value},"currency":"usd"},"line_item":"gpt-4o-2024-08-06, input","project_id":"p"}]}],"has_more":${more},"next_page":${more ? '"page_2"' : 'null'}}`;
    const lines = importExport(
      'openai-costs',
      pagesDocument([page('0.1000000001', true), page('12.3456789012', false)]),
      {
        accountId: 'org-acme',
      },
    ).lines;
    expect(lines.map((l) => l.amountNanos)).toEqual([100_000_000n, 12_345_678_901n]);
  });
});
