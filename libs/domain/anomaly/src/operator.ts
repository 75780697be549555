import type { AlertEvent } from '@tokentally/contracts';
import { ALERT_KINDS, FEEDBACK_VERDICTS, suppressionMs, type FeedbackVerdict } from './alert-lifecycle';
import type { AlertFeedback, AlertQuery, AlertRevision, AlertStore, StoredAlert } from './operator.ports';

/**
 * The operator surface of the detector: list, show and give feedback on alerts. One set of use cases
 * behind the finance API's /v1/alerts routes and `tally alerts`; the store is a port (Postgres adapter).
 * Feedback is stored, and the detector reads the stored rows to mute the incident and suppress repeats.
 */

/** Who asks: finance (and the CLI, which holds the database) sees every team; a team token its own. */
export interface OperatorCaller {
  role: 'finance' | 'team';
  team: string | null;
  /** How the caller is recorded as a feedback author, e.g. `cli:alice` or `token:team:search`. */
  label: string;
}

export class OperatorError extends Error {
  constructor(
    readonly code: 'invalid' | 'forbidden' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

export const MAX_ALERT_LIMIT = 1000;
export const MAX_REASON_LENGTH = 1000;

export function isAlertKind(value: string): value is AlertEvent['kind'] {
  return (ALERT_KINDS as readonly string[]).includes(value);
}

export function isFeedbackVerdict(value: string): value is FeedbackVerdict {
  return (FEEDBACK_VERDICTS as readonly string[]).includes(value);
}

/** The team a caller may read: finance any (all when none asked), a team token only its own. */
export function readableTeam(caller: OperatorCaller, requested: string | undefined): string | undefined {
  if (caller.role === 'finance') return requested;
  if (requested !== undefined && requested !== caller.team)
    throw new OperatorError('forbidden', `this token may only read team ${caller.team}`);
  return caller.team ?? undefined;
}

/** When the detector stops suppressing repeats of this alert's scope (event time), for a verdict. */
export function suppressedUntil(alert: Pick<AlertEvent, 'detected_at'>, verdict: FeedbackVerdict): number {
  return alert.detected_at + suppressionMs(verdict);
}

export class AlertOperations {
  constructor(private readonly store: AlertStore) {}

  async list(caller: OperatorCaller, query: AlertQuery): Promise<StoredAlert[]> {
    if (query.limit !== undefined && (query.limit < 1 || query.limit > MAX_ALERT_LIMIT))
      throw new OperatorError('invalid', `limit must be 1..${MAX_ALERT_LIMIT}`);
    if (query.since !== undefined && query.until !== undefined && query.since >= query.until)
      throw new OperatorError('invalid', 'since must be before until');
    const team = readableTeam(caller, query.team);
    return this.store.list({ ...query, ...(team !== undefined ? { team } : {}), limit: query.limit ?? 100 });
  }

  async show(
    caller: OperatorCaller,
    alertId: string,
  ): Promise<{ alert: StoredAlert; revisions: AlertRevision[] }> {
    const found = await this.store.get(alertId);
    if (!found) throw new OperatorError('not_found', `no alert ${alertId}`);
    if (caller.role !== 'finance' && found.alert.scope.team_id !== caller.team)
      throw new OperatorError('forbidden', `this token may only read team ${caller.team}`);
    return found;
  }

  async feedback(
    caller: OperatorCaller,
    alertId: string,
    input: { verdict: string; reason: string; author?: string },
  ): Promise<{ feedback: AlertFeedback; suppressed_until: number }> {
    if (!isFeedbackVerdict(input.verdict))
      throw new OperatorError('invalid', `verdict must be one of ${FEEDBACK_VERDICTS.join(', ')}`);
    const reason = input.reason.trim();
    if (reason.length === 0) throw new OperatorError('invalid', 'a reason is required');
    if (reason.length > MAX_REASON_LENGTH)
      throw new OperatorError('invalid', `reason is longer than ${MAX_REASON_LENGTH} characters`);
    const { alert } = await this.show(caller, alertId);
    const named = input.author?.trim();
    const author = named ? `${named} (${caller.label})` : caller.label;
    const feedback = await this.store.addFeedback({
      alert_id: alertId,
      verdict: input.verdict,
      reason,
      author,
    });
    return { feedback, suppressed_until: suppressedUntil(alert, input.verdict) };
  }
}
