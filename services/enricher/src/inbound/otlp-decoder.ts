import path from 'node:path';
import protobuf from 'protobufjs';
import type { AttributeValue, OtlpSpan } from '@tokentally/domain-enrichment';

const PROTO = path.resolve(__dirname, '../../../../schemas/otlp/trace.proto');
let requestType: protobuf.Type | undefined;
let responseType: protobuf.Type | undefined;

function types(): { request: protobuf.Type; response: protobuf.Type } {
  if (!requestType || !responseType) {
    const root = protobuf.loadSync(PROTO);
    requestType = root.lookupType('opentelemetry.proto.ExportTraceServiceRequest');
    responseType = root.lookupType('opentelemetry.proto.ExportTraceServiceResponse');
  }
  return { request: requestType, response: responseType };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** OTLP/JSON carries ids as hex (the spec) but some exporters send base64; both become hex. */
function idHex(value: unknown, bytes: number): string | null {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array)
    return value.length === 0 ? null : Buffer.from(value).toString('hex');
  if (typeof value !== 'string' || value === '') return null;
  if (value.length === bytes * 2 && /^[0-9a-f]+$/i.test(value)) return value.toLowerCase();
  return Buffer.from(value, 'base64').toString('hex');
}

function nanos(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' || typeof value === 'string') return BigInt(value);
  if (isObject(value) && 'low' in value && 'high' in value)
    return (BigInt(value['high'] as number) << 32n) + BigInt((value['low'] as number) >>> 0);
  return 0n;
}

function anyValue(value: unknown): AttributeValue | undefined {
  if (!isObject(value)) return undefined;
  const v = value;
  const string = v['stringValue'] ?? v['string_value'];
  if (typeof string === 'string') return string;
  const bool = v['boolValue'] ?? v['bool_value'];
  if (typeof bool === 'boolean') return bool;
  const integer = v['intValue'] ?? v['int_value'];
  if (integer !== undefined && integer !== null)
    return Number(typeof integer === 'object' ? nanos(integer) : integer);
  const double = v['doubleValue'] ?? v['double_value'];
  if (typeof double === 'number') return double;
  return undefined; // arrays, maps and bytes carry nothing the cost envelope needs
}

function attributes(list: unknown): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    if (!isObject(kv) || typeof kv['key'] !== 'string') continue;
    const value = anyValue(kv['value']);
    if (value !== undefined) out[kv['key']] = value;
  }
  return out;
}

/** Both encodings share one shape once protobuf is turned into an object with camelCase names. */
export function spansFromOtlpObject(request: unknown): OtlpSpan[] {
  const spans: OtlpSpan[] = [];
  const resourceSpans = isObject(request)
    ? (request['resourceSpans'] ?? request['resource_spans'])
    : undefined;
  if (!Array.isArray(resourceSpans)) throw new Error('an OTLP trace export request has resourceSpans');
  for (const rs of resourceSpans) {
    if (!isObject(rs)) continue;
    const resource = attributes(isObject(rs['resource']) ? rs['resource']['attributes'] : undefined);
    const scopeSpans = rs['scopeSpans'] ?? rs['scope_spans'];
    for (const ss of Array.isArray(scopeSpans) ? scopeSpans : []) {
      if (!isObject(ss) || !Array.isArray(ss['spans'])) continue;
      for (const span of ss['spans']) {
        if (!isObject(span)) continue;
        // Missing ids stay empty: a GenAI span without them is reported back as rejected, not skipped.
        spans.push({
          traceId: idHex(span['traceId'] ?? span['trace_id'], 16) ?? '',
          spanId: idHex(span['spanId'] ?? span['span_id'], 8) ?? '',
          parentSpanId: idHex(span['parentSpanId'] ?? span['parent_span_id'], 8),
          startNanos: nanos(span['startTimeUnixNano'] ?? span['start_time_unix_nano']),
          endNanos: nanos(span['endTimeUnixNano'] ?? span['end_time_unix_nano']),
          attributes: attributes(span['attributes']),
          resource,
          statusCode: isObject(span['status']) ? Number(span['status']['code'] ?? 0) : 0,
        });
      }
    }
  }
  return spans;
}

export function spansFromOtlpProtobuf(body: Buffer): OtlpSpan[] {
  const { request } = types();
  const message = request.decode(body);
  return spansFromOtlpObject(request.toObject(message, { longs: String, bytes: Buffer, defaults: false }));
}

export function encodeOtlpResponse(rejectedSpans: number, errorMessage: string): Buffer {
  const { response } = types();
  const body = rejectedSpans > 0 ? { partialSuccess: { rejectedSpans, errorMessage } } : {};
  return Buffer.from(response.encode(response.fromObject(body)).finish());
}
