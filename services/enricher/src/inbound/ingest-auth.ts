import { Inject, Injectable } from '@nestjs/common';
import { checkIngestScope, type IngestScope, type ScopeCheck } from '@tokentally/domain-enrichment';
import type { RawCallEvent } from '@tokentally/contracts';
import { BearerTokens, FailedAttemptThrottle } from '@tokentally/platform-service';
import { INGEST_SETTINGS, type IngestSettings } from '../enricher.tokens';

interface StatusResponse {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
}

/** A caller let in, with what its token may book. */
export interface IngestCaller {
  scope: IngestScope;
  check(event: RawCallEvent): ScopeCheck;
}

/**
 * Who may ingest: the bearer token (constant-time, libs/platform/service) gives the caller's scope;
 * wrong or missing tokens count against the client address, which after too many gets 429 with
 * Retry-After until its window ends.
 */
@Injectable()
export class IngestAuth {
  private readonly tokens: BearerTokens<IngestScope>;
  private readonly throttle: FailedAttemptThrottle;

  constructor(@Inject(INGEST_SETTINGS) settings: IngestSettings) {
    this.tokens = new BearerTokens(settings.tokens);
    this.throttle = new FailedAttemptThrottle(settings.authMaxFailures, settings.authWindowMs);
  }

  /** The caller, or undefined after setting 401/429 and returning the body in `refusal`. */
  authorise(
    authorization: string | undefined,
    address: string | undefined,
    response: StatusResponse,
  ): { caller: IngestCaller } | { refusal: { error: string; message: string } } {
    const client = address ?? 'unknown';
    const wait = this.throttle.retryAfterSeconds(client);
    if (wait > 0) {
      response.status(429);
      response.setHeader('retry-after', String(wait));
      return {
        refusal: {
          error: 'too_many_failed_attempts',
          message: `too many requests with a wrong or missing ingest token from this address; retry in ${wait} s`,
        },
      };
    }
    const scope = this.tokens.match(authorization);
    if (scope === undefined) {
      this.throttle.recordFailure(client);
      response.status(401);
      return {
        refusal: {
          error: 'unauthorized',
          message: 'send Authorization: Bearer <ingest token> (INGEST_TOKENS)',
        },
      };
    }
    return { caller: { scope, check: (event) => checkIngestScope(event, scope) } };
  }
}
