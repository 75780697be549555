import type { RawCallEvent } from '@tokentally/contracts';
import { reject, type Failure } from './rejection';

/**
 * U+FFFD is a valid character a producer may send; it is also what a decoder substitutes for bytes
 * that are not UTF-8. Avro strings are plain UTF-8 on the wire, so the two are told apart by counting:
 * a decoded event with more U+FFFD than the message has encoded U+FFFD (EF BF BD) lost bytes.
 */
const REPLACEMENT = '\uFFFD';
const ENCODED = Uint8Array.from([0xef, 0xbf, 0xbd]);

function occurrences(text: string): number {
  let n = 0;
  for (let at = text.indexOf(REPLACEMENT); at !== -1; at = text.indexOf(REPLACEMENT, at + 1)) n += 1;
  return n;
}

function encodedOccurrences(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i + 2 < bytes.length; i++)
    if (bytes[i] === ENCODED[0] && bytes[i + 1] === ENCODED[1] && bytes[i + 2] === ENCODED[2]) n += 1;
  return n;
}

/** Every string of the event with its field path (attribute and unit names included). */
function strings(event: RawCallEvent): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(event)) {
    if (typeof value === 'string') out.push([key, value]);
  }
  for (const [key, value] of Object.entries(event.attributes)) {
    out.push(['attributes', key], [`attributes.${key}`, value]);
  }
  for (const key of Object.keys(event.usage.units)) out.push(['usage.units', key]);
  return out;
}

/** A failure naming the first field whose bytes were not UTF-8, or undefined. */
export function checkUtf8Loss(event: RawCallEvent, wireBytes: Uint8Array): Failure | undefined {
  const fields = strings(event).filter(([, value]) => value.includes(REPLACEMENT));
  if (fields.length === 0) return undefined;
  const decoded = fields.reduce((sum, [, value]) => sum + occurrences(value), 0);
  if (decoded <= encodedOccurrences(wireBytes)) return undefined;
  const field = fields[0]?.[0] ?? 'event';
  return reject('INVALID_VALUE', field, `${field} is not valid UTF-8 (bytes were replaced on decoding)`);
}
