import { createHash } from 'node:crypto';
import { divideHalfEven } from '@tokentally/domain-money';

/** Which export a line came from (the values of the Avro enum CostSource, plus the usage-only APIs). */
export type CostSource =
  | 'openai_costs'
  | 'openai_usage'
  | 'anthropic_cost_report'
  | 'anthropic_usage_report'
  | 'aws_cur'
  | 'gcp_billing'
  | 'azure_cost'
  | 'focus';

/**
 * Disjoint token types, as the ledger keeps them. `cache_write` is a write whose TTL the export does
 * not say (Bedrock CUR); `other` is a priced extra (web search, code execution, requests).
 */
export type TokenType =
  'input' | 'cache_read' | 'cache_write_5m' | 'cache_write_1h' | 'cache_write' | 'output' | 'other';

export type LineType = 'usage' | 'credit' | 'tax' | 'adjustment';

/**
 * Why a line's unit price may legitimately differ from the standard rate card: the classifier names
 * a rate difference after the first of these a line carries.
 */
export interface PriceContext {
  /** Non-standard service tier (batch, flex, priority, scale, provisioned). */
  serviceTier: string | null;
  /** Long-context tier (e.g. Anthropic context_window "200k-1M"). */
  longContext: boolean;
  /** Regional or global inference premium or discount (cross-region, data zone, geo-pinned). */
  inferenceScope: string | null;
}

/** One line of a provider export, normalised. Money in exact integer nano-USD. */
export interface CostLine {
  /** Deterministic id of the line's identity (not its amount): a restated figure keeps its id. */
  lineId: string;
  source: CostSource;
  provider: string;
  /** Billing account, organisation or subscription. */
  accountId: string;
  /** Project, workspace, sub-account or resource group: what the org file maps to a team. */
  projectId: string | null;
  model: string | null;
  /** YYYY-MM-DD (UTC) of the usage. */
  usageDate: string;
  tokenType: TokenType | null;
  region: string | null;
  price: PriceContext;
  /** Quantity in `unit` (tokens for token lines), 0 when the export gives none (OpenAI Costs). */
  quantity: bigint;
  unit: string;
  /** Amount in nano-USD; for a non-USD export, converted at the export's own rate. */
  amountNanos: bigint;
  /** Whether the line carries money (false: usage-only APIs, quantities only). */
  hasCost: boolean;
  currency: string;
  /** The exported amount, exact decimal text in `currency` (cents already shifted to units). */
  originalAmount: string;
  /** `originalAmount` in nanos of `currency` (equal to amountNanos for USD): what an FX check converts. */
  originalNanos: bigint;
  /** Half the amount's last exported digit, in nanos: what rounding alone can move the line by. */
  roundingNanos: bigint;
  lineType: LineType;
  /** The export flags the line as a correction of an earlier one (FOCUS ChargeClass). */
  correction: boolean;
}

export function lineIdOf(source: CostSource, ...identity: (string | null | undefined)[]): string {
  return createHash('sha256')
    .update([source, ...identity.map((part) => part ?? '')].join('\u001f'))
    .digest('hex')
    .slice(0, 32);
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Exact decimal text (optionally with an exponent, as JSON numbers may be written) scaled by
 * 10^shift, in nanos: "123.45" with shift -2 (cents) is 1234500000n. Digits finer than a nano round
 * half-even once, here (Anthropic reports fractions of a cent).
 */
export function decimalToNanos(text: string, shift = 0): bigint {
  const match = DECIMAL.exec(text.trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === ''))
    throw new RangeError(`"${text}" is not a decimal amount`);
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  const digits = BigInt(`${whole}${fraction}` || '0');
  // value = digits * 10^(exp - fraction.length); nanos = value * 10^9
  const power = Number(exponent) + shift - fraction.length + 9;
  const nanos = power >= 0 ? digits * 10n ** BigInt(power) : divideHalfEven(digits, 10n ** BigInt(-power));
  return sign === '-' ? -nanos : nanos;
}

/**
 * Half a unit of the amount's last written digit, in nanos ("1.23" USD: 5,000,000; 0 below a nano),
 * at most half a cent: "9" is a whole figure printed short, not a figure rounded to the dollar.
 */
export function roundingOf(text: string, shift = 0): bigint {
  const match = DECIMAL.exec(text.trim());
  const decimals = (match?.[3] ?? '').length - Number(match?.[4] ?? '0') - shift;
  const power = 9 - decimals;
  const half = power > 0 ? 10n ** BigInt(power) / 2n : 0n;
  return half > HALF_CENT ? HALF_CENT : half;
}
const HALF_CENT = 5_000_000n;

/** Exact decimal text of `text` x 10^shift (cents "123.45", -2 -> "1.2345"). */
export function shiftDecimal(text: string, shift: number): string {
  const nanos = decimalToNanos(text, shift);
  const negative = nanos < 0n;
  const magnitude = negative ? -nanos : nanos;
  const fraction = (magnitude % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${magnitude / 1_000_000_000n}${fraction ? `.${fraction}` : ''}`;
}

/** An integer quantity from export text ("1200", "1.2E3", "1200.0"); fractions round half-even. */
export function quantityOf(text: string | number | null | undefined, scale = 1n): bigint {
  if (text === null || text === undefined || text === '') return 0n;
  return divideHalfEven(decimalToNanos(String(text)) * scale, 1_000_000_000n);
}

/** Amount in a foreign currency to nano-USD at the export's rate (USD per unit), rounded once. */
export function toUsdNanos(amountNanos: bigint, usdPerUnit: string): bigint {
  return divideHalfEven(amountNanos * decimalToNanos(usdPerUnit), 1_000_000_000n);
}

/** UTC day of an ISO time, a date, or Unix seconds. */
export function utcDay(value: string | number): string {
  if (typeof value === 'number') return new Date(value * 1000).toISOString().slice(0, 10);
  const text = value.trim().replace(/\s*UTC$/i, 'Z');
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (us) return `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}`;
  const iso = text.replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T').replace(/TZ$/, 'T00:00:00Z');
  const time = Date.parse(/[zZ]$|[+-]\d{2}:?\d{2}$/.test(iso) ? iso : `${iso}Z`);
  if (Number.isNaN(time)) throw new RangeError(`"${value}" is not a date or time`);
  return new Date(time).toISOString().slice(0, 10);
}

export const STANDARD_PRICE: PriceContext = { serviceTier: null, longContext: false, inferenceScope: null };

/** A tier name as a price context: standard/default/on-demand tiers are not a price difference. */
export function tierOf(tier: string | null | undefined): string | null {
  const value = (tier ?? '').trim().toLowerCase();
  if (!value || ['standard', 'default', 'on-demand', 'on_demand', 'ondemand', 'auto'].includes(value))
    return null;
  return value;
}
