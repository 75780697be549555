import { parse } from 'csv-parse/sync';
import { nanosToDecimal } from '@tokentally/domain-money';
import type { CostLine } from '../cost-line';

export interface ImportOptions {
  /** Account to book lines under when the export does not name one (OpenAI, Anthropic org). */
  accountId?: string;
  /** Canonical provider id, for FOCUS files whose ProviderName is not one tokentally knows. */
  provider?: string;
}

export interface ImportResult {
  lines: CostLine[];
  /** Rows left out, each with why (another service, an unreadable amount). */
  skipped: { row: number; reason: string }[];
}

export type Row = Record<string, unknown>;

/**
 * A row whose columns are found whatever their spelling: `costInUsd`, `CostInUsd`, `cost_in_usd` and
 * nested BigQuery JSON (`sku.description` as `{sku: {description}}`) all answer to the same name.
 */
export function field(row: Row, ...names: string[]): string | null {
  for (const name of names) {
    const value = lookup(row, name);
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') {
      if (value.trim() !== '') return value.trim();
      continue;
    }
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return JSON.stringify(value);
  }
  return null;
}

function lookup(row: Row, name: string): unknown {
  const wanted = normalise(name);
  const keys = normalisedKeys(row);
  if (keys.has(wanted)) return keys.get(wanted);
  const dot = name.indexOf('.');
  if (dot > 0) {
    const head = lookup(row, name.slice(0, dot));
    if (head && typeof head === 'object' && !Array.isArray(head))
      return lookup(head as Row, name.slice(dot + 1));
  }
  return undefined;
}

// every row's keys normalised once, not once per lookup (a 100k-line file does 30 lookups a line)
const KEYS = new WeakMap<Row, Map<string, unknown>>();
function normalisedKeys(row: Row): Map<string, unknown> {
  let keys = KEYS.get(row);
  if (!keys) {
    keys = new Map();
    for (const [key, value] of Object.entries(row))
      if (!keys.has(normalise(key))) keys.set(normalise(key), value);
    KEYS.set(row, keys);
  }
  return keys;
}

const NORMALISED = new Map<string, string>();
const normalise = (key: string): string => {
  let value = NORMALISED.get(key);
  if (value === undefined) {
    value = key.toLowerCase().replace(/[^a-z0-9.]/g, '');
    if (NORMALISED.size < 10_000) NORMALISED.set(key, value);
  }
  return value;
};

/** CSV with a header row (BOM and quoted fields tolerated), every value a string. */
export function csvRows(content: string): Row[] {
  return parse<Row>(content, {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
  });
}

/**
 * JSON whose numbers keep their written text: every number outside a string becomes a string before
 * JSON.parse, so OpenAI's `amount.value` (a JSON number) is parsed exactly, never through a float.
 */
export function parseJsonExact(text: string): unknown {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (inString) {
      out += char;
      if (char === '\\') out += text[++i] ?? '';
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      out += char;
      continue;
    }
    if (char === '-' || (char >= '0' && char <= '9')) {
      const match = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
      if (match) {
        out += `"${match[0]}"`;
        i += match[0].length - 1;
        continue;
      }
    }
    out += char;
  }
  return JSON.parse(out) as unknown;
}

/** A JSON document, an array of pages, or JSON lines: each page or row, in order. */
export function jsonDocuments(content: string): Row[] {
  const trimmed = content.trim();
  if (trimmed === '') return [];
  try {
    const parsed = parseJsonExact(trimmed);
    if (Array.isArray(parsed)) return parsed.filter(isRow);
    return isRow(parsed) ? [parsed] : [];
  } catch {
    return trimmed
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '')
      .map((line) => parseJsonExact(line))
      .filter(isRow);
  }
}

export function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function list(value: unknown): Row[] {
  return Array.isArray(value) ? value.filter(isRow) : [];
}

/**
 * The result rows of API pages (`{data: [{start_time, results: [...]}]}`), each with the start of its
 * bucket, as OpenAI and Anthropic admin APIs return them.
 */
export function bucketResults(pages: Row[], startKeys: string[]): { start: string; result: Row }[] {
  const rows: { start: string; result: Row }[] = [];
  for (const page of pages) {
    const buckets = Array.isArray(page['data']) ? list(page['data']) : [page];
    for (const bucket of buckets) {
      const start = field(bucket, ...startKeys);
      if (start === null) continue;
      for (const result of list(bucket['results'] ?? bucket['result'])) rows.push({ start, result });
    }
  }
  return rows;
}

/** Pricing-unit multiplier from text such as "1K", "1M tokens", "1000000 Tokens", "1,000". */
export function unitScale(unit: string | null): bigint {
  const text = (unit ?? '').toLowerCase().replace(/[, ]/g, '');
  const number = /^(\d+)/.exec(text);
  if (/^(\d+)?m(illion)?(tokens?)?$/.test(text) || text.startsWith('1m')) return 1_000_000n;
  if (/^(\d+)?k(tokens?)?$/.test(text) || text.startsWith('1k') || text.includes('thousand')) return 1000n;
  if (number?.[1]) return BigInt(number[1]);
  return 1n;
}

/** A USD line with defaults for what most exports leave out. */
export function usdLine(
  line: Omit<
    CostLine,
    'originalNanos' | 'originalAmount' | 'currency' | 'correction' | 'lineType' | 'roundingNanos'
  > &
    Partial<Pick<CostLine, 'lineType' | 'correction' | 'roundingNanos'>>,
): CostLine {
  return {
    lineType: 'usage',
    correction: false,
    roundingNanos: 0n,
    ...line,
    currency: 'USD',
    originalAmount: nanosToDecimal(line.amountNanos),
    originalNanos: line.amountNanos,
  };
}
