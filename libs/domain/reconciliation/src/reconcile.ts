import { createHash } from 'node:crypto';
import type { CostLine, TokenType } from './cost-line';
import { explainCell, type WorkCell } from './classify';
import { joinUsage, ledgerParts, mergeWrites, type LedgerPart } from './ledger-cells';
import { modelKey } from './model-names';
import type {
  CellResult,
  CellStatus,
  LedgerDay,
  ReconcileOptions,
  Reconciliation,
} from './reconciliation.types';
import { basisPoints, monthResults } from './month-results';

export const DEFAULT_CELL_TOLERANCE_BP = 100;
const CACHE = new Set<TokenType | null>(['cache_read', 'cache_write_5m', 'cache_write_1h', 'cache_write']);
const TOKENS = new Set<TokenType | null>(['input', 'output', ...CACHE]);

/**
 * Ledger against provider per provider x account x model x day (UTC) x token type. Only days an
 * imported cost export covers for that provider and account are compared (the rest is not billed
 * yet, not missing). Pure: `options.now` only decides which days are provisional.
 */
export function reconcile(
  lines: readonly CostLine[],
  ledger: readonly LedgerDay[],
  options: ReconcileOptions,
): Reconciliation {
  const costLines = joinUsage(lines);
  const covered = new Set(costLines.map((l) => `${l.provider}|${l.accountId}|${l.usageDate}`));
  const groups = new Map<string, { lines: CostLine[]; ledger: LedgerDay[]; model: string }>();
  const groupOf = (provider: string, account: string, model: string, day: string) => {
    const key = `${provider}|${account}|${modelKey(model)}|${day}`;
    const group = groups.get(key) ?? { lines: [], ledger: [], model };
    groups.set(key, group);
    return group;
  };
  for (const line of costLines)
    groupOf(line.provider, line.accountId, line.model ?? '', line.usageDate).lines.push(line);
  for (const day of ledger) {
    if (!covered.has(`${day.provider}|${day.accountId}|${day.day}`)) continue;
    const group = groupOf(day.provider, day.accountId, day.model, day.day);
    group.ledger.push(day);
    group.model = day.model;
  }

  const cells: WorkCell[] = [];
  for (const group of groups.values()) cells.push(...groupCells(group, options));
  shiftBetweenTokenTypes(cells);
  acrossDayBoundaries(cells);
  const results = cells.map((cell) => finish(cell, options));
  return { cells: results, months: monthResults(results, options) };
}

function groupCells(
  group: { lines: CostLine[]; ledger: LedgerDay[]; model: string },
  options: ReconcileOptions,
): WorkCell[] {
  const sample = group.lines[0] ?? group.ledger[0]!;
  const provider = 'provider' in sample ? sample.provider : '';
  const accountId = sample.accountId;
  const day = 'usageDate' in sample ? sample.usageDate : sample.day;
  const card = group.ledger.length > 0 ? (options.rates?.(provider, group.model, day) ?? null) : null;
  const ledgerByType = new Map<TokenType, LedgerPart>();
  for (const ledgerDay of group.ledger)
    for (const [type, part] of ledgerParts(ledgerDay, card)) {
      const sum = ledgerByType.get(type) ?? { quantity: 0n, nanos: 0n };
      ledgerByType.set(type, { quantity: sum.quantity + part.quantity, nanos: sum.nanos + part.nanos });
    }
  const usage = group.lines.filter((l) => l.lineType === 'usage');
  const wholeDay = usage.some((l) => l.tokenType === null);
  const merged = usage.some((l) => l.tokenType === 'cache_write') ? mergeWrites(ledgerByType) : ledgerByType;
  const byType = new Map<TokenType | null, { lines: CostLine[]; ledger: LedgerPart }>();
  const cellFor = (type: TokenType | null) => {
    const cell = byType.get(type) ?? { lines: [], ledger: { quantity: 0n, nanos: 0n } };
    byType.set(type, cell);
    return cell;
  };
  for (const [type, part] of merged) {
    if (part.quantity === 0n && part.nanos === 0n) continue;
    const cell = cellFor(wholeDay ? null : type);
    cell.ledger = {
      quantity: cell.ledger.quantity + (type === 'other' ? 0n : part.quantity),
      nanos: cell.ledger.nanos + part.nanos,
    };
  }
  for (const line of group.lines)
    cellFor(wholeDay || line.lineType !== 'usage' ? null : line.tokenType).lines.push(line);
  return [...byType.entries()].map(([tokenType, { lines, ledger }]) => {
    const usageLines = lines.filter((l) => l.lineType === 'usage');
    const usageNanos = usageLines.reduce((s, l) => s + l.amountNanos, 0n);
    const providerQuantity = usageLines.reduce((s, l) => s + l.quantity, 0n);
    const quantified = tokenType !== 'other' && (providerQuantity > 0n || usageNanos === 0n);
    return {
      provider,
      accountId,
      model: group.model,
      modelKey: modelKey(group.model),
      day,
      tokenType,
      lines,
      ledger,
      card,
      usageNanos,
      providerQuantity,
      deltaQ: quantified ? providerQuantity - ledger.quantity : null,
      shiftQ: 0n,
      boundaryQ: 0n,
    };
  });
}

/**
 * Tokens one side counts as input and the other as cache (cache writes priced as input, cache reads
 * counted inside input): within one model and day, opposite quantity differences between token
 * types that include a cache type are cache semantics. Cache tokens missing while input and output
 * agree (within 1%) are too: the ledger saw the calls, not their cache tokens.
 */
function shiftBetweenTokenTypes(cells: WorkCell[]): void {
  const groups = new Map<string, WorkCell[]>();
  for (const cell of cells) {
    if (cell.deltaQ === null || !TOKENS.has(cell.tokenType)) continue;
    const key = `${cell.provider}|${cell.accountId}|${cell.modelKey}|${cell.day}`;
    groups.set(key, [...(groups.get(key) ?? []), cell]);
  }
  for (const group of groups.values()) {
    const moved = group.filter((c) => c.deltaQ !== 0n);
    if (!moved.some((c) => CACHE.has(c.tokenType))) continue;
    const pos = moved.reduce((s, c) => (c.deltaQ! > 0n ? s + c.deltaQ! : s), 0n);
    const neg = moved.reduce((s, c) => (c.deltaQ! < 0n ? s - c.deltaQ! : s), 0n);
    const shift = pos < neg ? pos : neg;
    if (shift > 0n) for (const c of moved) c.shiftQ = (c.deltaQ! * shift) / (c.deltaQ! > 0n ? pos : neg);
    const callsAgree = group
      .filter((c) => !CACHE.has(c.tokenType))
      .every((c) => c.ledger.quantity > 0n && 100n * abs(c.deltaQ! - c.shiftQ) <= c.ledger.quantity);
    if (callsAgree && group.some((c) => !CACHE.has(c.tokenType)))
      for (const c of moved) if (CACHE.has(c.tokenType)) c.shiftQ = c.deltaQ!;
  }
}

/** A call near midnight counted on day d by one side and d+1 by the other: opposite, equal remainders. */
function acrossDayBoundaries(cells: WorkCell[]): void {
  const series = new Map<string, Map<string, WorkCell>>();
  for (const cell of cells) {
    if (cell.deltaQ === null) continue;
    const key = `${cell.provider}|${cell.accountId}|${cell.modelKey}|${cell.tokenType ?? ''}`;
    const days = series.get(key) ?? new Map<string, WorkCell>();
    days.set(cell.day, cell);
    series.set(key, days);
  }
  for (const days of series.values()) {
    for (const day of [...days.keys()].sort()) {
      const cell = days.get(day)!;
      const next = days.get(nextDay(day));
      if (!next) continue;
      const a = cell.deltaQ! - cell.shiftQ - cell.boundaryQ;
      const b = next.deltaQ! - next.shiftQ - next.boundaryQ;
      // the two days must hold the same tokens the other way round (within 1%), not two unrelated faults
      if (
        a === 0n ||
        b === 0n ||
        a > 0n === b > 0n ||
        100n * abs(a + b) > (abs(a) > abs(b) ? abs(a) : abs(b))
      )
        continue;
      const matched = abs(a) < abs(b) ? abs(a) : abs(b);
      cell.boundaryQ += a > 0n ? matched : -matched;
      next.boundaryQ += b > 0n ? matched : -matched;
    }
  }
}

function finish(cell: WorkCell, options: ReconcileOptions): CellResult {
  const providerNanos = cell.lines.reduce((s, l) => s + l.amountNanos, 0n);
  const ledgerNanos = cell.ledger.nanos;
  const deltaNanos = providerNanos - ledgerNanos;
  const toleranceBp = options.cellToleranceBp ?? DEFAULT_CELL_TOLERANCE_BP;
  const deltaBp = basisPoints(deltaNanos, providerNanos);
  const explanations = deltaNanos === 0n ? [] : explainCell(cell, options);
  const status: CellStatus =
    deltaNanos === 0n
      ? 'matched'
      : Math.abs(deltaBp) <= toleranceBp
        ? 'within_tolerance'
        : ledgerNanos === 0n && cell.lines.some((l) => l.lineType === 'usage')
          ? 'missing_in_ledger'
          : providerNanos === 0n
            ? 'missing_in_provider'
            : 'over_tolerance';
  return {
    resultId: createHash('sha256')
      .update([cell.provider, cell.accountId, cell.modelKey, cell.day, cell.tokenType ?? ''].join('|'))
      .digest('hex')
      .slice(0, 32),
    provider: cell.provider,
    accountId: cell.accountId,
    model: cell.model,
    usageDate: cell.day,
    tokenType: cell.tokenType,
    ledgerNanos,
    providerNanos,
    deltaNanos,
    deltaBp,
    toleranceBp,
    status,
    provisional: isProvisional(cell.provider, cell.day, options),
    ledgerQuantity: cell.ledger.quantity,
    providerQuantity: cell.providerQuantity,
    explanations,
    unexplainedNanos: deltaNanos - explanations.reduce((s, e) => s + e.nanos, 0n),
  };
}

const SETTLE_HOURS: Record<string, number> = { openai: 24, anthropic: 24, google: 72, azure_openai: 72 };

/**
 * A day stays provisional until its provider's figure is final: Anthropic and OpenAI within a day,
 * GCP and Azure give no guarantee (3 days here), CUR restates until the month is final (3 days after
 * month end).
 */
export function isProvisional(
  provider: string,
  day: string,
  options: Pick<ReconcileOptions, 'now' | 'settleHours'>,
): boolean {
  const end = Date.parse(`${day}T00:00:00Z`) + 86_400_000;
  if (provider === 'bedrock' && options.settleHours?.['bedrock'] === undefined) {
    const date = new Date(end - 1);
    return options.now < Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) + 72 * 3_600_000;
  }
  const hours = options.settleHours?.[provider] ?? SETTLE_HOURS[provider] ?? 72;
  return options.now < end + hours * 3_600_000;
}

export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

const abs = (value: bigint): bigint => (value < 0n ? -value : value);
