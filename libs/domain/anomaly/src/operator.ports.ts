import type { AlertEvent } from '@tokentally/contracts';
import type { FeedbackVerdict } from './alert-lifecycle';

/** What the operator use cases (operator.ts) read and write: alerts as stored, and their feedback. */

export interface AlertFeedback {
  alert_id: string;
  verdict: FeedbackVerdict;
  reason: string;
  /** Who gave it: the CLI's `cli:<user>`, the API's token role (and the author it names). */
  author: string | null;
  /** Wall-clock time it was recorded, epoch ms. */
  created_at: number;
}

/** The latest revision of an alert, as stored, with every piece of feedback on it (oldest first). */
export interface StoredAlert extends AlertEvent {
  published_at: number | null;
  feedback: AlertFeedback[];
}

export interface AlertRevision {
  revision: number;
  status: AlertEvent['status'];
  kind: AlertEvent['kind'];
  detected_at: number;
  observed_nanos: number;
  baseline_nanos: number;
}

export interface AlertQuery {
  team?: string;
  /** open: not resolved (open or updated); resolved: the incident ended. */
  status?: 'open' | 'resolved';
  kind?: AlertEvent['kind'];
  /** Event time (epoch ms): alerts whose window [window_start, window_end) overlaps [since, until). */
  since?: number;
  until?: number;
  limit?: number;
}

/** The port the use cases read and write through (libs/adapters/postgres-alerts implements it). */
export interface AlertStore {
  list(query: AlertQuery): Promise<StoredAlert[]>;
  get(alertId: string): Promise<{ alert: StoredAlert; revisions: AlertRevision[] } | undefined>;
  addFeedback(feedback: Omit<AlertFeedback, 'created_at'>): Promise<AlertFeedback>;
}
