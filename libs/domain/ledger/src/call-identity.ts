/**
 * What makes two deliveries of an event_id the same call: the usage facts the producer reported. A
 * redelivery (Kafka, a replay, an SDK retry) carries them unchanged, so it is a silent duplicate; a
 * resend that changes any of them is a conflict and is never booked. Ownership and price are left out
 * on purpose: they are derived downstream (org registry, rate book) and may differ on a re-run of the
 * same call without it being another call.
 */
export interface CallFacts {
  occurred_at: number;
  trace_id: string;
  provider: string;
  model: string;
  uncached_input: number | bigint;
  cache_read: number | bigint;
  cache_write_5m: number | bigint;
  cache_write_1h: number | bigint;
  output: number | bigint;
  reasoning: number | bigint;
  units: Record<string, number>;
}

/** The facts of a priced (or enriched) event, in the shape `callDifferences` compares. */
export function callFactsOf(event: {
  occurred_at: number;
  trace_id: string;
  provider: string;
  model: string;
  buckets: Omit<CallFacts, 'occurred_at' | 'trace_id' | 'provider' | 'model'>;
}): CallFacts {
  return {
    occurred_at: event.occurred_at,
    trace_id: event.trace_id,
    provider: event.provider,
    model: event.model,
    ...event.buckets,
  };
}

const SCALARS = [
  'occurred_at',
  'trace_id',
  'provider',
  'model',
  'uncached_input',
  'cache_read',
  'cache_write_5m',
  'cache_write_1h',
  'output',
  'reasoning',
] as const satisfies readonly (keyof CallFacts)[];

const show = (field: keyof CallFacts, value: unknown): string =>
  field === 'occurred_at' ? new Date(value as number).toISOString() : String(value);

const unitsText = (units: Record<string, number>): string =>
  Object.keys(units)
    .filter((key) => units[key] !== 0)
    .sort()
    .map((key) => `${key}=${units[key]}`)
    .join(',');

/**
 * The facts that differ between the booked call and a resend of its event_id, as "field: booked ->
 * resent" (empty when the resend is the same call). Token counts compare as integers whatever their
 * JS type (the ledger reads BigInt, events carry numbers).
 */
export function callDifferences(booked: CallFacts, resent: CallFacts): string[] {
  const differences: string[] = [];
  for (const field of SCALARS)
    if (String(booked[field]) !== String(resent[field]))
      differences.push(`${field}: ${show(field, booked[field])} -> ${show(field, resent[field])}`);
  const [before, after] = [unitsText(booked.units), unitsText(resent.units)];
  if (before !== after) differences.push(`units: {${before}} -> {${after}}`);
  return differences;
}
