import type { CostLine, TokenType } from './cost-line';
import { modelKey } from './model-names';
import type { CardRates, LedgerDay, LedgerNanos, LedgerTokens } from './reconciliation.types';

/** A daily rollup row before it is mapped to a provider account. */
export interface LedgerTeamDay {
  provider: string;
  teamId: string;
  model: string;
  day: string;
  tokens: LedgerTokens;
  nanos: LedgerNanos;
  /** The provider-side project the calls named ('' or absent: not known). */
  projectId?: string;
}

/** Where calls are billed: provider x team (x project, when the calls name one) -> account, from the org file. */
export type AccountMap = (provider: string, teamId: string, projectId?: string) => string | null;

/**
 * A call's account is the account of the project it names when the org file declares that project,
 * else its team's account for that provider. Rows of teams with no declared account go to `unmapped`
 * so they are reconciled (and seen) rather than dropped. The project stays on the day, so
 * `scopeByProject` can compare project by project where both sides know it.
 */
export function ledgerDaysByAccount(rows: readonly LedgerTeamDay[], accountOf: AccountMap): LedgerDay[] {
  const days = new Map<string, LedgerDay>();
  for (const row of rows) {
    const projectId = row.projectId ?? '';
    const accountId = accountOf(row.provider, row.teamId, projectId) ?? 'unmapped';
    const key = `${row.provider}|${accountId}|${projectId}|${row.model}|${row.day}`;
    const day = days.get(key);
    if (!day) {
      days.set(key, { ...row, accountId, projectId, tokens: { ...row.tokens }, nanos: { ...row.nanos } });
      continue;
    }
    for (const name of Object.keys(day.tokens) as (keyof LedgerTokens)[])
      day.tokens[name] += row.tokens[name];
    for (const name of Object.keys(day.nanos) as (keyof LedgerNanos)[]) day.nanos[name] += row.nanos[name];
  }
  return [...days.values()];
}

/** One token type of a ledger day: tokens and nanos. */
export interface LedgerPart {
  quantity: bigint;
  nanos: bigint;
}

const CACHE_TYPES = ['cache_read', 'cache_write_5m', 'cache_write_1h'] as const;

/**
 * The rollup keeps one cache cost: it is split over read, 5m and 1h writes in proportion to tokens x
 * the card's price of each (the parts add up to the figure exactly). Without a
 * card, in proportion to tokens.
 */
export function ledgerParts(day: LedgerDay, card: CardRates | null): Map<TokenType, LedgerPart> {
  const weights = CACHE_TYPES.map((type) => day.tokens[type] * (card?.perMillion[type] ?? 1n));
  const total = weights.reduce((a, b) => a + b, 0n);
  const shares = weights.map((w) => (total === 0n ? 0n : (day.nanos.cache * w) / total));
  // what truncation left over (a few nanos) goes to the heaviest bucket, so the parts sum exactly
  const heaviest = weights.reduce((best, w, i) => (w > weights[best]! ? i : best), 0);
  shares[heaviest] = shares[heaviest]! + day.nanos.cache - shares.reduce((a, b) => a + b, 0n);
  const parts = new Map<TokenType, LedgerPart>([
    ['input', { quantity: day.tokens.input, nanos: day.nanos.input }],
    ['output', { quantity: day.tokens.output, nanos: day.nanos.output }],
    ['other', { quantity: 0n, nanos: day.nanos.other }],
  ]);
  CACHE_TYPES.forEach((type, i) => parts.set(type, { quantity: day.tokens[type], nanos: shares[i]! }));
  return parts;
}

/** The ledger cell a provider line compares with: TTL-less cache writes meet both write buckets. */
export function mergeWrites(parts: Map<TokenType, LedgerPart>): Map<TokenType, LedgerPart> {
  const merged = new Map(parts);
  const a = parts.get('cache_write_5m') ?? { quantity: 0n, nanos: 0n };
  const b = parts.get('cache_write_1h') ?? { quantity: 0n, nanos: 0n };
  merged.delete('cache_write_5m');
  merged.delete('cache_write_1h');
  merged.set('cache_write', { quantity: a.quantity + b.quantity, nanos: a.nanos + b.nanos });
  return merged;
}

const usageKey = (l: CostLine): string =>
  [
    l.provider,
    l.accountId,
    l.projectId ?? '',
    modelKey(l.model ?? ''),
    l.usageDate,
    l.tokenType ?? '',
    l.price.serviceTier ?? '',
    l.price.longContext,
    l.price.inferenceScope ?? '',
  ].join('|');

/**
 * Cost APIs without quantities (OpenAI Costs, Anthropic cost_report) get them from the matching
 * usage-only lines (same account, project, model, day, token type and price context), so a
 * difference can be split into quantity and price. Usage-only lines are then dropped: money comes
 * from cost lines only, as the providers advise.
 */
export function joinUsage(lines: readonly CostLine[]): CostLine[] {
  const usage = new Map<string, bigint>();
  for (const line of lines)
    if (!line.hasCost) usage.set(usageKey(line), (usage.get(usageKey(line)) ?? 0n) + line.quantity);
  const used = new Set<string>();
  const out: CostLine[] = [];
  for (const line of lines) {
    if (!line.hasCost) continue;
    const key = usageKey(line);
    const quantity = usage.get(key);
    if (line.quantity === 0n && line.lineType === 'usage' && quantity !== undefined && !used.has(key)) {
      used.add(key);
      out.push({ ...line, quantity });
    } else out.push(line);
  }
  return out;
}
