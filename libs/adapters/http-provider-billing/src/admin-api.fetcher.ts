import {
  adminHeaders,
  nextPage,
  pagesDocument,
  pageUrl,
  reportRequests,
  type FetchProvider,
  type ImportFormat,
} from '@tokentally/domain-reconciliation';

export interface AdminApiSettings {
  /** e.g. https://api.openai.com or a local server serving fixture pages; a path prefix is kept. */
  baseUrl: string;
  /** The admin key: sent as a header, never logged or put in an error. */
  adminKey: string;
  timeoutMs?: number;
  /** Most pages one report may take (a server repeating its cursor would otherwise never end). */
  maxPages?: number;
  /** Attempts per page on 429 and 5xx, honouring Retry-After (seconds, capped at 30). */
  attempts?: number;
}

export interface FetchedReport {
  format: ImportFormat;
  pages: number;
  /** The pages' exact texts as one JSON array, ready for the importer. */
  content: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Fetches the cost and usage reports of the OpenAI and Anthropic admin APIs page by page
 * (`has_more` / `next_page`), keeping each page's text as received so no amount passes through a float.
 */
export class AdminApiFetcher {
  constructor(
    private readonly provider: FetchProvider,
    private readonly settings: AdminApiSettings,
  ) {}

  async fetchReports(
    from: string,
    to: string,
    onPage: (format: ImportFormat, page: number) => void = () => undefined,
  ): Promise<FetchedReport[]> {
    const reports: FetchedReport[] = [];
    for (const request of reportRequests(this.provider, from, to)) {
      const pages: string[] = [];
      const seen = new Set<string>();
      let cursor: string | null = null;
      do {
        if (pages.length >= (this.settings.maxPages ?? 1000))
          throw new Error(`${request.path}: more than ${this.settings.maxPages ?? 1000} pages, stopped`);
        const text = await this.get(pageUrl(this.settings.baseUrl, request, cursor));
        pages.push(text);
        onPage(request.format, pages.length);
        cursor = nextPage(JSON.parse(text) as unknown);
        if (cursor !== null && seen.has(cursor))
          throw new Error(`${request.path}: next_page "${cursor}" came back twice, stopped`);
        if (cursor !== null) seen.add(cursor);
      } while (cursor !== null);
      reports.push({ format: request.format, pages: pages.length, content: pagesDocument(pages) });
    }
    return reports;
  }

  private async get(url: URL): Promise<string> {
    const attempts = this.settings.attempts ?? 3;
    for (let attempt = 1; ; attempt += 1) {
      const response = await fetch(url, {
        headers: { ...adminHeaders(this.provider, this.settings.adminKey), accept: 'application/json' },
        signal: AbortSignal.timeout(this.settings.timeoutMs ?? 30_000),
      });
      const text = await response.text();
      if (response.ok) return text;
      const retryable = response.status === 429 || response.status >= 500;
      if (!retryable || attempt >= attempts)
        // the URL holds no secret (the key travels in a header); the body is the provider's own message
        throw new Error(
          `${this.provider} admin API ${url.pathname}: HTTP ${response.status} ${text.slice(0, 300)}`,
        );
      const after = Number(response.headers.get('retry-after'));
      await sleep(Number.isFinite(after) && after > 0 ? Math.min(after, 30) * 1000 : 500 * attempt);
    }
  }
}
