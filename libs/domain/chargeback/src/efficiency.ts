import { divideHalfEven } from '@tokentally/domain-money';
import { percent } from './statement';

/**
 * Model efficiency: what a model costs per request and per *successful outcome*, not just in raw
 * dollars. A trace is one user-facing request; every call in it (retries, fallbacks) costs money, and
 * the trace succeeded when any of its calls did (status below 400, or none reported). A trace belongs to
 * the model and feature of its first attempt: a model that fails over to another pays for the rescue.
 */

/** Successful calls with some tokens but fewer than this (input + output) are "short": classifications, routing, yes/no. */
export const SHORT_CALL_TOKENS = 1_000n;
/** A model is premium when its observed uncached input price is at least $2.50 per million tokens. */
export const PREMIUM_INPUT_NANOS_PER_TOKEN = 2_500n;

/** Per model x feature sums over a period's ledger calls (one SQL pass, see the ledger adapter). */
export interface EfficiencyCallRow {
  model: string;
  feature: string;
  calls: bigint;
  total_nanos: bigint;
  /** every input bucket: uncached + cache read + cache writes */
  input_tokens: bigint;
  cache_read_tokens: bigint;
  output_tokens: bigint;
  uncached_input_tokens: bigint;
  uncached_input_nanos: bigint;
  short_calls: bigint;
  short_nanos: bigint;
}

/** Per first-attempt model x feature: the traces, those that succeeded, and all their calls' cost. */
export interface EfficiencyTraceRow {
  model: string;
  feature: string;
  traces: bigint;
  succeeded_traces: bigint;
  trace_nanos: bigint;
}

export interface EfficiencyLine {
  model: string;
  feature: string;
  premium: boolean;
  calls: bigint;
  total_nanos: bigint;
  cost_per_request_nanos: bigint | null;
  traces: bigint;
  succeeded_traces: bigint;
  /** every attempt of the traces started on this model / succeeded traces; null when none succeeded */
  cost_per_success_nanos: bigint | null;
  tokens_per_request: bigint | null;
  /** cache reads / all input tokens, percent with one decimal */
  cache_hit_percent: string | null;
  short_calls: bigint;
}

export interface ModelEfficiency {
  lines: EfficiencyLine[];
  premium_models: string[];
  short_calls: bigint;
  premium_short_calls: bigint;
  /** premium short calls / short calls, percent */
  premium_short_percent: string | null;
  premium_short_nanos: bigint;
}

const ratio = (part: bigint, whole: bigint): bigint | null =>
  whole === 0n ? null : divideHalfEven(part, whole);

/** Models whose uncached input tokens cost at least the premium threshold per token, on average. */
export function premiumModels(rows: readonly EfficiencyCallRow[]): Set<string> {
  const byModel = new Map<string, { tokens: bigint; nanos: bigint }>();
  for (const row of rows) {
    const entry = byModel.get(row.model) ?? { tokens: 0n, nanos: 0n };
    entry.tokens += row.uncached_input_tokens;
    entry.nanos += row.uncached_input_nanos;
    byModel.set(row.model, entry);
  }
  return new Set(
    [...byModel]
      .filter(([, e]) => e.tokens > 0n && e.nanos >= PREMIUM_INPUT_NANOS_PER_TOKEN * e.tokens)
      .map(([model]) => model),
  );
}

/** Joins call and trace sums per model x feature into the efficiency table, dearest first. */
export function modelEfficiency(
  calls: readonly EfficiencyCallRow[],
  traces: readonly EfficiencyTraceRow[],
): ModelEfficiency {
  const premium = premiumModels(calls);
  const key = (r: { model: string; feature: string }): string => `${r.model}\u0000${r.feature}`;
  const traceBy = new Map(traces.map((t) => [key(t), t]));
  const keys = [...new Set([...calls.map(key), ...traces.map(key)])];
  const callBy = new Map(calls.map((c) => [key(c), c]));
  const lines = keys.map((k): EfficiencyLine => {
    const c = callBy.get(k);
    const t = traceBy.get(k);
    const [model = '', feature = ''] = k.split('\u0000');
    const n = c?.calls ?? 0n;
    return {
      model,
      feature,
      premium: premium.has(model),
      calls: n,
      total_nanos: c?.total_nanos ?? 0n,
      cost_per_request_nanos: ratio(c?.total_nanos ?? 0n, n),
      traces: t?.traces ?? 0n,
      succeeded_traces: t?.succeeded_traces ?? 0n,
      cost_per_success_nanos: ratio(t?.trace_nanos ?? 0n, t?.succeeded_traces ?? 0n),
      tokens_per_request: ratio((c?.input_tokens ?? 0n) + (c?.output_tokens ?? 0n), n),
      cache_hit_percent: percent(c?.cache_read_tokens ?? 0n, c?.input_tokens ?? 0n),
      short_calls: c?.short_calls ?? 0n,
    };
  });
  lines.sort((a, b) =>
    a.total_nanos === b.total_nanos ? key(a).localeCompare(key(b)) : a.total_nanos > b.total_nanos ? -1 : 1,
  );
  const short = calls.reduce((s, c) => s + c.short_calls, 0n);
  const premiumShort = calls.filter((c) => premium.has(c.model));
  const premiumShortCalls = premiumShort.reduce((s, c) => s + c.short_calls, 0n);
  return {
    lines,
    premium_models: [...premium].sort(),
    short_calls: short,
    premium_short_calls: premiumShortCalls,
    premium_short_percent: percent(premiumShortCalls, short),
    premium_short_nanos: premiumShort.reduce((s, c) => s + c.short_nanos, 0n),
  };
}
