import type { ConsumedRecord } from '@tokentally/platform-kafka';

/**
 * Decoded values as a consumer hands them over: one partition, consecutive offsets, the trace_id as
 * key, and the "consumed bytes" (JSON here: quarantine keeps them as the original payload).
 */
export function consumedRecords<T extends { trace_id: string }>(
  topic: string,
  values: readonly T[],
  firstOffset = 0,
): ConsumedRecord<T>[] {
  return values.map((value, index) => ({
    topic,
    partition: 0,
    offset: String(firstOffset + index),
    key: value.trace_id,
    value,
    rawValue: Buffer.from(JSON.stringify(value)),
    timestamp: '0',
  }));
}

/** A snapshot port (org registry, rate book) that always answers `value`. */
export const fixedSnapshot = <T>(value: T): { readonly current: T } => ({ current: value });
