import { z } from 'zod';
import type { BudgetCheckAnswer, BudgetCheckRequest } from '@tokentally/domain-budget';
import { nanosToDecimal } from '@tokentally/domain-money';

const id = z.string().trim().min(1).max(256);
const tokens = z.number().int('must be an integer').min(0, 'must not be negative').max(100_000_000);

/** POST /v1/budget/check: snake_case like every other tokentally route. */
export const budgetCheckBody = z.strictObject({
  event_id: id.optional(),
  team_id: id.optional(),
  api_key_id: id.optional(),
  service_account: id.optional(),
  feature: id,
  environment: z.enum(['prod', 'staging', 'dev', 'test']),
  provider: id,
  model: id,
  region: id.nullish(),
  service_tier: id.nullish(),
  input_tokens: tokens,
  max_output_tokens: tokens,
  max_units: z.record(z.string(), tokens).optional(),
});

export function budgetRequestOf(body: z.infer<typeof budgetCheckBody>): BudgetCheckRequest {
  return {
    ...(body.event_id !== undefined ? { eventId: body.event_id } : {}),
    ...(body.team_id !== undefined ? { teamId: body.team_id } : {}),
    ...(body.api_key_id !== undefined ? { apiKeyId: body.api_key_id } : {}),
    ...(body.service_account !== undefined ? { serviceAccount: body.service_account } : {}),
    feature: body.feature,
    environment: body.environment,
    provider: body.provider,
    model: body.model,
    region: body.region ?? null,
    serviceTier: body.service_tier ?? null,
    inputTokens: body.input_tokens,
    maxOutputTokens: body.max_output_tokens,
    ...(body.max_units !== undefined ? { maxUnits: body.max_units } : {}),
  };
}

const money = (nanos: bigint | null) =>
  nanos === null ? { nanos: null, usd: null } : { nanos: nanos.toString(), usd: nanosToDecimal(nanos) };

/** Amounts as exact decimal strings: nanos past 2^53 must survive JSON. */
export function budgetAnswerJson(answer: BudgetCheckAnswer) {
  const estimate = money(answer.estimateNanos);
  const remaining = money(answer.remainingNanos);
  return {
    decision: answer.decision,
    reason_code: answer.reasonCode,
    reason: answer.reason,
    team_id: answer.teamId,
    reservation_id: answer.reservationId,
    estimate_nanos: estimate.nanos,
    estimate_usd: estimate.usd,
    remaining_nanos: remaining.nanos,
    remaining_usd: remaining.usd,
    via_override: answer.viaOverride,
    alert: answer.alert,
    retry_after_ms: answer.retryAfterMs,
    rules: answer.verdicts.map((v) => ({
      scope: JSON.parse(v.scope) as unknown,
      mode: v.mode,
      outcome: v.outcome,
      limit_nanos: v.limitNanos.toString(),
      override_nanos: v.overrideNanos.toString(),
      remaining_nanos: v.remainingNanos.toString(),
      override_ids: v.overrideIds,
    })),
  };
}
