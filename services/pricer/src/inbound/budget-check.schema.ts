import { z } from 'zod';
import type { BudgetCheckAnswer, BudgetCheckRequest, BudgetReasonCode } from '@tokentally/domain-budget';
import { nanosToDecimal } from '@tokentally/domain-money';

const id = z.string().trim().min(1).max(256);
const tokens = z.number().int('must be an integer').min(0, 'must not be negative').max(100_000_000);

/** POST /v1/budget/check: snake_case like every other tokentally route. */
export const budgetCheckBody = z
  .strictObject({
    event_id: id.optional().meta({
      description: 'the event_id the gateway will record the call with; the reservation id (one per call)',
    }),
    team_id: id.optional().meta({ description: 'the owner; or api_key_id / service_account' }),
    api_key_id: id.optional().meta({ description: 'resolved to its team through the org registry' }),
    service_account: id
      .optional()
      .meta({ description: 'resolved to its team through the org registry (allow-list)' }),
    feature: id.meta({ description: 'the feature the call is for', example: 'answers' }),
    environment: z.enum(['prod', 'staging', 'dev', 'test']),
    provider: id.meta({ example: 'openai' }),
    model: id.meta({ example: 'gpt-4o-mini' }),
    region: id.nullish(),
    service_tier: id.nullish(),
    input_tokens: tokens.meta({ description: 'prompt tokens, priced as the dearest input bucket' }),
    max_output_tokens: tokens.meta({ description: 'the output cap the call is sent with (worst case)' }),
    max_units: z
      .record(z.string(), tokens)
      .optional()
      .meta({ description: 'per-unit charges the call may incur (e.g. web searches), at most' }),
  })
  .meta({ id: 'BudgetCheckRequest' });

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

export const BUDGET_REASON_CODES = [
  'WITHIN_BUDGET',
  'NO_BUDGET',
  'WARN_THRESHOLD',
  'OVER_SOFT_BUDGET',
  'OVER_HARD_BUDGET',
  'OVERRIDE',
  'ALREADY_RESERVED',
  'RATE_LIMITED',
  'UNKNOWN_RATE',
  'INVALID_VALUE',
  'MISSING_OWNER',
  'STORE_UNAVAILABLE',
] as const satisfies readonly BudgetReasonCode[];
// a reason code added to the domain and not listed here fails the typecheck
const everyReasonCode: Exclude<BudgetReasonCode, (typeof BUDGET_REASON_CODES)[number]> extends never
  ? true
  : never = true;
void everyReasonCode;

const outcome = z.enum(['allow', 'warn', 'deny']);
const nanos = z
  .string()
  .regex(/^-?\d+$/)
  .meta({ description: 'integer nano-USD, as a string' });
const usd = z.string().meta({ description: 'the same amount as an exact USD decimal' });

/** The answer, always a 200: what budgetAnswerJson returns, and what the OpenAPI document describes. */
export const budgetAnswerSchema = z
  .strictObject({
    decision: outcome.meta({ description: 'forward on allow or warn; never on deny' }),
    reason_code: z.enum(BUDGET_REASON_CODES),
    reason: z.string().meta({ description: 'one sentence for a person' }),
    team_id: z.string().nullable(),
    reservation_id: z
      .string()
      .nullable()
      .meta({ description: 'replaced by the actual cost when the priced call arrives' }),
    estimate_nanos: nanos.nullable().meta({ description: 'worst-case cost of the call' }),
    estimate_usd: usd.nullable(),
    remaining_nanos: nanos
      .nullable()
      .meta({ description: 'room left in the tightest budget after this call' }),
    remaining_usd: usd.nullable(),
    via_override: z.boolean().meta({ description: 'passes only thanks to an override' }),
    alert: z.boolean().meta({ description: 'passes, but someone should look (e.g. unknown rate, soft)' }),
    retry_after_ms: z.number().int().nullable().meta({ description: 'rate limited: when to try again' }),
    rules: z.array(
      z.strictObject({
        scope: z
          .tuple([z.string(), z.string().nullable(), z.string().nullable()])
          .meta({ description: '[team, feature or null, environment or null]' }),
        mode: z.enum(['hard', 'soft']),
        outcome,
        limit_nanos: nanos,
        override_nanos: nanos,
        remaining_nanos: nanos,
        override_ids: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'BudgetCheckAnswer' });
export type BudgetAnswerJson = z.infer<typeof budgetAnswerSchema>;

const money = (nanos: bigint | null) =>
  nanos === null ? { nanos: null, usd: null } : { nanos: nanos.toString(), usd: nanosToDecimal(nanos) };

/** Amounts as exact decimal strings: nanos past 2^53 must survive JSON. */
export function budgetAnswerJson(answer: BudgetCheckAnswer): BudgetAnswerJson {
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
      scope: JSON.parse(v.scope) as [string, string | null, string | null],
      mode: v.mode,
      outcome: v.outcome,
      limit_nanos: v.limitNanos.toString(),
      override_nanos: v.overrideNanos.toString(),
      remaining_nanos: v.remainingNanos.toString(),
      override_ids: v.overrideIds,
    })),
  };
}
