import { Body, Controller, Headers, HttpCode, Inject, Ip, Post, Req, Res } from '@nestjs/common';
import { TOPICS, type RawCallEvent } from '@tokentally/contracts';
import {
  parseRawEventJson,
  pseudonymiseRawIds,
  rawEventFromLiteLLM,
  redactForbiddenContent,
  rawEventFromSpan,
  validateRawEvent,
  type OtlpSpan,
  type Outcome,
  type Rejection,
} from '@tokentally/domain-enrichment';

import type { AvroProducer } from '@tokentally/platform-kafka';
import { EnricherMetrics } from '../enricher.metrics';
import { INGEST_SETTINGS, RAW_PRODUCER, type IngestSettings } from '../enricher.tokens';
import { IngestAuth } from './ingest-auth';
import { bodyProblem, mediaType } from './ingest-body';
import { encodeOtlpResponse, spansFromOtlpObject, spansFromOtlpProtobuf } from './otlp-decoder';

/** Nest keeps the unparsed body (`rawBody: true` at start-up) so its bytes can be checked. */
interface RawBodyRequest {
  rawBody?: Buffer;
  headers: Record<string, string | string[] | undefined>;
}
const JSON_TYPE = ['application/json'];
const OTLP_TYPES = ['application/x-protobuf', 'application/json'];

interface StatusResponse {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
}

type EventResult =
  | { index: number; event_id: string | null; status: 'accepted' }
  | {
      index: number;
      event_id: string | null;
      status: 'forbidden';
      error: 'out_of_scope';
      field: string;
      message: string;
    }
  | ({ index: number; event_id: string | null; status: 'rejected' } & Rejection);

/**
 * POST /v1/events for producers that are not on Kafka: a JSON array of raw events (snake_case or
 * camelCase). Each valid event is published to llm.calls.raw.v1 and acknowledged by the broker before
 * the response is sent; the response says, per event, accepted or the exact validation error.
 * Ownership is resolved later by the enricher (the org registry may change and quarantined calls replay).
 */
@Controller('v1')
export class IngestController {
  constructor(
    @Inject(RAW_PRODUCER) private readonly producer: AvroProducer,
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
    @Inject(EnricherMetrics) private readonly metrics: EnricherMetrics,
    @Inject(IngestAuth) private readonly auth: IngestAuth,
  ) {}

  @Post('events')
  @HttpCode(200)
  events(
    @Headers('authorization') authorization: string | undefined,
    @Ip() ip: string | undefined,
    @Body() body: unknown,
    @Req() request: RawBodyRequest,
    @Res({ passthrough: true }) response: StatusResponse,
  ): Promise<unknown> {
    return this.ingestBatch('events', authorization, ip, body, request, response, (item) => {
      const parsed = parseRawEventJson(item);
      if (parsed.ok && parsed.value.dropped > 0)
        this.metrics.redactions.inc({ source: 'http' }, parsed.value.dropped);
      return parsed.ok ? { ok: true, value: parsed.value.event } : parsed;
    });
  }

  /**
   * LiteLLM's generic logging callback: a JSON array (or one object) of StandardLoggingPayload. Each
   * becomes a raw call event (owner from the virtual key's team, feature from spend_logs_metadata).
   */
  @Post('litellm')
  @HttpCode(200)
  litellm(
    @Headers('authorization') authorization: string | undefined,
    @Ip() ip: string | undefined,
    @Body() body: unknown,
    @Req() request: RawBodyRequest,
    @Res({ passthrough: true }) response: StatusResponse,
  ): Promise<unknown> {
    return this.ingestBatch('litellm', authorization, ip, body, request, response, rawEventFromLiteLLM);
  }

  /** Authorise, bound the batch, map and validate each item, publish the valid ones (acked), report each. */
  private async ingestBatch(
    endpoint: string,
    authorization: string | undefined,
    ip: string | undefined,
    body: unknown,
    request: RawBodyRequest,
    response: StatusResponse,
    toEvent: (item: unknown) => Outcome<RawCallEvent>,
  ): Promise<unknown> {
    const auth = this.auth.authorise(authorization, ip, response);
    if ('refusal' in auth) return auth.refusal;
    const problem = bodyProblem(contentTypeOf(request), JSON_TYPE, request.rawBody);
    if (problem) {
      response.status(problem.status);
      return problem.body;
    }
    const items: unknown[] = Array.isArray(body) ? body : [body];
    if (items.length === 0 || items.length > this.settings.maxEvents) {
      response.status(items.length === 0 ? 400 : 413);
      return {
        error: 'batch_size',
        message: `send between 1 and ${this.settings.maxEvents} events per request (got ${items.length})`,
      };
    }
    const now = Date.now();
    const accepted: RawCallEvent[] = [];
    const results: EventResult[] = items.map((item, index) => {
      const mapped = toEvent(item);
      const valid = mapped.ok ? validateRawEvent(mapped.value, now) : mapped;
      const eventId = mapped.ok ? mapped.value.event_id : eventIdOf(item);
      if (!valid.ok) return { index, event_id: eventId, status: 'rejected', ...valid.rejection };
      const scoped = auth.caller.check(valid.value);
      if (!scoped.ok)
        return {
          index,
          event_id: eventId,
          status: 'forbidden',
          error: 'out_of_scope',
          field: scoped.field,
          message: scoped.message,
        };
      accepted.push(this.beforeWrite(scoped.value, endpoint === 'events' ? 'http' : endpoint));
      return { index, event_id: eventId, status: 'accepted' };
    });
    const forbidden = results.filter((result) => result.status === 'forbidden').length;
    if (accepted.length > 0)
      await this.producer.send(
        TOPICS.rawCalls,
        accepted.map((value) => ({ key: value.trace_id, value })),
      );
    this.metrics.ingest.inc({ endpoint, outcome: 'accepted' }, accepted.length);
    this.metrics.ingest.inc({ endpoint, outcome: 'rejected' }, results.length - accepted.length);
    // 403 when the token may book none of them: nothing else was wrong with the request.
    if (accepted.length === 0) response.status(forbidden === results.length ? 403 : 400);
    return { accepted: accepted.length, rejected: results.length - accepted.length, forbidden, results };
  }

  /**
   * OTLP/HTTP trace export (JSON or protobuf) from OpenTelemetry SDKs and collectors. GenAI spans become
   * raw call events (docs/otlp-ingest.md); other spans are ignored; GenAI spans that cannot be turned
   * into a valid call are reported back as rejected spans (OTLP partial success).
   */
  @Post('otlp/v1/traces')
  @HttpCode(200)
  async otlpTraces(
    @Headers('authorization') authorization: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Ip() ip: string | undefined,
    @Body() body: unknown,
    @Req() request: RawBodyRequest,
    @Res({ passthrough: true }) response: StatusResponse,
  ): Promise<unknown> {
    const protobuf = mediaType(contentType) === 'application/x-protobuf';
    const auth = this.auth.authorise(authorization, ip, response);
    if ('refusal' in auth) return auth.refusal;
    const problem = bodyProblem(contentType, OTLP_TYPES, protobuf ? undefined : request.rawBody);
    if (problem) {
      response.status(problem.status);
      return problem.body;
    }
    let spans: OtlpSpan[];
    try {
      spans = protobuf
        ? spansFromOtlpProtobuf(Buffer.isBuffer(body) ? body : Buffer.alloc(0))
        : spansFromOtlpObject(body);
    } catch (error) {
      response.status(400);
      return {
        error: 'undecodable',
        message: `not an OTLP trace export request: ${(error as Error).message}`,
      };
    }
    const now = Date.now();
    const accepted: RawCallEvent[] = [];
    const rejections: string[] = [];
    for (const span of spans) {
      const mapped = rawEventFromSpan(span);
      if (mapped === undefined) continue;
      const valid = mapped.ok ? validateRawEvent(mapped.value, now) : mapped;
      const scoped = valid.ok ? auth.caller.check(valid.value) : undefined;
      if (scoped?.ok) accepted.push(this.beforeWrite(scoped.value, 'otlp'));
      else if (scoped) rejections.push(`span ${span.spanId}: ${scoped.field} ${scoped.message} (FORBIDDEN)`);
      else if (!valid.ok)
        rejections.push(
          `span ${span.spanId}: ${valid.rejection.field ?? ''} ${valid.rejection.message} (${valid.rejection.reason})`,
        );
    }
    if (accepted.length > 0)
      await this.producer.send(
        TOPICS.rawCalls,
        accepted.map((value) => ({ key: value.trace_id, value })),
      );
    this.metrics.ingest.inc({ endpoint: 'otlp', outcome: 'accepted' }, accepted.length);
    this.metrics.ingest.inc({ endpoint: 'otlp', outcome: 'rejected' }, rejections.length);
    const message = rejections.slice(0, 5).join('; ');
    if (protobuf) {
      response.setHeader('content-type', 'application/x-protobuf');
      return encodeOtlpResponse(rejections.length, message);
    }
    return rejections.length > 0
      ? { partialSuccess: { rejectedSpans: rejections.length, errorMessage: message } }
      : {};
  }

  /**
   * What reaches llm.calls.raw.v1 from HTTP: prompts and credentials removed, user and tenant ids
   * already pseudonymised (the enricher keeps refs of its key as they are).
   */
  private beforeWrite(event: RawCallEvent, source: string): RawCallEvent {
    const { event: clean, redactions } = redactForbiddenContent(event);
    if (redactions > 0) this.metrics.redactions.inc({ source }, redactions);
    return pseudonymiseRawIds(clean, this.settings.pseudonymKey);
  }
}

function contentTypeOf(request: RawBodyRequest): string | undefined {
  const header = request.headers['content-type'];
  return Array.isArray(header) ? header[0] : header;
}

function eventIdOf(item: unknown): string | null {
  if (typeof item !== 'object' || item === null) return null;
  const record = item as Record<string, unknown>;
  const id = record['event_id'] ?? record['eventId'];
  return typeof id === 'string' ? id : null;
}
