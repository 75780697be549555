/**
 * Asks tokentally before a call is forwarded (POST /v1/budget/check on the pricer). A gateway sends
 * the call's future `event_id`, so the priced call frees exactly this reservation; it forwards only
 * on `allow` or `warn`. When the budget service cannot be reached in time, `onUnavailable` decides:
 * `deny` (fail closed, the default) or `allow`.
 */
export interface BudgetQuestion {
  eventId?: string;
  teamId?: string;
  apiKeyId?: string;
  serviceAccount?: string;
  feature: string;
  environment: 'prod' | 'staging' | 'dev' | 'test';
  provider: string;
  model: string;
  region?: string | null;
  serviceTier?: string | null;
  inputTokens: number;
  maxOutputTokens: number;
}

export interface BudgetAnswer {
  decision: 'allow' | 'warn' | 'deny';
  reasonCode: string;
  reason: string;
  reservationId: string | null;
  /** Exact decimal USD strings (never floats), or null when no budget applies. */
  estimateUsd: string | null;
  remainingUsd: string | null;
  viaOverride: boolean;
  alert: boolean;
  retryAfterMs: number | null;
}

export interface BudgetClientOptions {
  /** The pricer's base URL, e.g. http://127.0.0.1:3102 */
  url: string;
  token?: string;
  timeoutMs?: number;
  onUnavailable?: 'deny' | 'allow';
}

interface WireAnswer {
  decision: BudgetAnswer['decision'];
  reason_code: string;
  reason: string;
  reservation_id: string | null;
  estimate_usd: string | null;
  remaining_usd: string | null;
  via_override: boolean;
  alert: boolean;
  retry_after_ms: number | null;
}

export class BudgetClient {
  constructor(private readonly options: BudgetClientOptions) {}

  async check(question: BudgetQuestion): Promise<BudgetAnswer> {
    const body = {
      event_id: question.eventId,
      team_id: question.teamId,
      api_key_id: question.apiKeyId,
      service_account: question.serviceAccount,
      feature: question.feature,
      environment: question.environment,
      provider: question.provider,
      model: question.model,
      region: question.region ?? null,
      service_tier: question.serviceTier ?? null,
      input_tokens: question.inputTokens,
      max_output_tokens: question.maxOutputTokens,
    };
    let response: Response;
    try {
      response = await fetch(`${this.options.url.replace(/\/$/, '')}/v1/budget/check`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 500),
      });
    } catch (error) {
      return this.unavailable(`budget service unreachable: ${(error as Error).message}`);
    }
    if (response.status >= 500) return this.unavailable(`budget service answered ${response.status}`);
    const json = (await response.json()) as WireAnswer | { message?: unknown };
    if (response.status !== 200)
      throw new Error(
        `budget check refused (${response.status}): ${JSON.stringify((json as { message?: unknown }).message ?? json)}`,
      );
    const wire = json as WireAnswer;
    return {
      decision: wire.decision,
      reasonCode: wire.reason_code,
      reason: wire.reason,
      reservationId: wire.reservation_id,
      estimateUsd: wire.estimate_usd,
      remainingUsd: wire.remaining_usd,
      viaOverride: wire.via_override,
      alert: wire.alert,
      retryAfterMs: wire.retry_after_ms,
    };
  }

  private unavailable(reason: string): BudgetAnswer {
    const decision = this.options.onUnavailable ?? 'deny';
    return {
      decision,
      reasonCode: 'STORE_UNAVAILABLE',
      reason: `${reason} (${decision === 'deny' ? 'failing closed' : 'allowed by onUnavailable'})`,
      reservationId: null,
      estimateUsd: null,
      remainingUsd: null,
      viaOverride: false,
      alert: true,
      retryAfterMs: null,
    };
  }
}
