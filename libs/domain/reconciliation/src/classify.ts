import { divideHalfEven, nanosToDecimal } from '@tokentally/domain-money';
import { toUsdNanos, type CostLine, type TokenType } from './cost-line';
import type { LedgerPart } from './ledger-cells';
import type { CardRates, DifferenceClass, Explanation, ReconcileOptions } from './reconciliation.types';

/** A cell while it is being explained; the cross-cell passes fill shiftQ and boundaryQ. */
export interface WorkCell {
  provider: string;
  accountId: string;
  model: string;
  modelKey: string;
  day: string;
  tokenType: TokenType | null;
  lines: CostLine[];
  ledger: LedgerPart;
  card: CardRates | null;
  usageNanos: bigint;
  providerQuantity: bigint;
  /** Provider minus ledger quantity, null when the export gives no quantity for money it bills. */
  deltaQ: bigint | null;
  /** Part of deltaQ that moved between token types of the same model and day (cache semantics). */
  shiftQ: bigint;
  /** Part of deltaQ that the neighbouring day holds the other way round (day boundary). */
  boundaryQ: bigint;
}

const perMillion = (nanos: bigint, quantity: bigint): string =>
  quantity === 0n ? 'n/a' : `$${nanosToDecimal(divideHalfEven(nanos * 1_000_000n, quantity))}`;

/**
 * Explains provider - ledger of one cell with named causes whose nanos add up to at most the
 * delta; the caller reports the rest as unexplained. Quantity effects (tokens one side has and the
 * other has not) are priced at the ledger's own rate; rate effects (same tokens, other money) are
 * judged line by line by the price context the export gives each line.
 */
export function explainCell(cell: WorkCell, options: ReconcileOptions): Explanation[] {
  const found = new Map<DifferenceClass, { nanos: bigint; details: Set<string> }>();
  const add = (cls: DifferenceClass, nanos: bigint, detail: string): void => {
    if (nanos === 0n) return;
    const entry = found.get(cls) ?? { nanos: 0n, details: new Set<string>() };
    entry.nanos += nanos;
    if (detail) entry.details.add(detail);
    found.set(cls, entry);
  };
  for (const line of cell.lines)
    if (line.lineType !== 'usage')
      add(
        'credits_tax_adjustments',
        line.amountNanos,
        `${line.lineType} ${line.originalAmount} ${line.currency}`,
      );

  const { quantity: lq, nanos: ln } = cell.ledger;
  const usageLines = cell.lines.filter((l) => l.lineType === 'usage');
  const delta = cell.usageNanos - ln;
  const roundingBound = usageLines.reduce((sum, l) => sum + l.roundingNanos, 0n);
  if (delta !== 0n && cell.deltaQ === null && ln === 0n && lq === 0n) {
    add('missing_in_ledger', delta, 'billed by the provider, nothing in the ledger for this cell');
  } else if (delta !== 0n && cell.deltaQ === null) {
    // money without quantities (a Costs page imported without its Usage page): only rounding can be told
    if (delta <= roundingBound && -delta <= roundingBound)
      add('rounding', delta, 'within the exported precision');
  } else if (delta !== 0n && cell.deltaQ !== null) {
    const [num, den] = lq > 0n ? [ln, lq] : [cell.usageNanos, cell.providerQuantity];
    const price = (q: bigint): bigint => (den === 0n ? 0n : divideHalfEven(q * num, den));
    const quantityEffect = lq > 0n ? price(cell.deltaQ) : delta;
    const rest = cell.deltaQ - cell.shiftQ - cell.boundaryQ;
    const parts: [DifferenceClass, bigint, string][] = [
      ['cache_semantics', price(cell.shiftQ), `${cell.shiftQ} tokens counted as another token type`],
      ['day_boundary', price(cell.boundaryQ), `${cell.boundaryQ} tokens on the neighbouring UTC day`],
      [
        rest > 0n ? 'missing_in_ledger' : 'missing_at_provider',
        price(rest),
        rest > 0n
          ? `${rest} tokens the provider billed, never in the ledger`
          : `${-rest} tokens the provider never billed`,
      ],
    ];
    for (const [cls, nanos, detail] of parts) add(cls, nanos, detail);
    add('rounding', quantityEffect - parts.reduce((s, [, n]) => s + n, 0n), 'pricing split into whole nanos');
    if (lq > 0n) explainRates(cell, usageLines, delta - quantityEffect, options, add);
  }
  return [...found.entries()].map(([cls, { nanos, details }]) => ({
    class: cls,
    nanos,
    detail: [...details].slice(0, 3).join('; '),
  }));
}

/** Same tokens, other money: FX first, then the line's tier, context window, inference scope; else drift. */
function explainRates(
  cell: WorkCell,
  lines: CostLine[],
  rateEffect: bigint,
  options: ReconcileOptions,
  add: (cls: DifferenceClass, nanos: bigint, detail: string) => void,
): void {
  const { quantity: lq, nanos: ln } = cell.ledger;
  let explained = 0n;
  const drift = { nanos: 0n, provider: 0n, quantity: 0n };
  for (const line of lines) {
    let effect = line.amountNanos - divideHalfEven(line.quantity * ln, lq);
    if (line.currency !== 'USD') {
      const reference = options.fxReference?.(line.currency, line.usageDate);
      if (reference) {
        const fx = line.amountNanos - toUsdNanos(line.originalNanos, reference);
        add('fx', fx, `${line.currency} converted by the export at another rate than ${reference} USD`);
        effect -= fx;
        explained += fx;
      }
    }
    const rate = `provider ${perMillion(line.amountNanos, line.quantity)} vs ledger ${perMillion(ln, lq)} per 1M`;
    const cls: DifferenceClass = line.price.serviceTier
      ? 'service_tier'
      : line.price.longContext
        ? 'long_context'
        : line.price.inferenceScope
          ? 'region'
          : effect <= line.roundingNanos && -effect <= line.roundingNanos
            ? 'rounding'
            : 'price_drift';
    explained += effect;
    if (cls === 'price_drift') {
      drift.nanos += effect;
      drift.provider += line.amountNanos;
      drift.quantity += line.quantity;
      continue;
    }
    const why =
      cls === 'service_tier'
        ? `${line.price.serviceTier} tier: ${rate}`
        : cls === 'long_context'
          ? `long-context tier: ${rate}`
          : cls === 'region'
            ? `${line.price.inferenceScope} inference: ${rate}`
            : 'within the exported precision';
    add(cls, effect, why);
  }
  add(
    'price_drift',
    drift.nanos,
    `provider ${perMillion(drift.provider, drift.quantity)} vs ledger ${perMillion(ln, lq)} per 1M tokens; ledger card ${cell.card?.card ?? '(no card found)'}${cell.card?.perMillion[cellRateType(cell.tokenType)] !== undefined ? ` at $${nanosToDecimal(cell.card.perMillion[cellRateType(cell.tokenType)]!)}/1M` : ''}`,
  );
  add('rounding', rateEffect - explained, 'pricing split into whole nanos');
}

function cellRateType(type: TokenType | null): Exclude<TokenType, 'cache_write' | 'other'> {
  if (type === 'cache_write') return 'cache_write_5m';
  if (type === null || type === 'other') return 'input';
  return type;
}
