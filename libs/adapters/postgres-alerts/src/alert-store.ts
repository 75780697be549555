import type { Pool } from 'pg';
import type {
  AlertFeedback,
  AlertQuery,
  AlertRevision,
  AlertStore,
  StoredAlert,
} from '@tokentally/domain-anomaly';
import { ALERT_COLUMNS, toEvent, type AlertDbRow } from './alerts.repository';

interface FeedbackRow {
  alert_id: string;
  verdict: AlertFeedback['verdict'];
  reason: string;
  author: string | null;
  created_at: Date;
}

const feedbackOf = (row: FeedbackRow): AlertFeedback => ({
  alert_id: row.alert_id,
  verdict: row.verdict,
  reason: row.reason,
  author: row.author,
  created_at: row.created_at.getTime(),
});

/**
 * The operator's view of tokentally.alerts and tokentally.alert_feedback: the latest revision of each
 * alert, filtered on that revision (an alert resolved since is not "open"), with its feedback. The
 * feedback rows written here are the ones the detector polls (AlertsRepository.feedbackSince).
 */
export class PostgresAlertStore implements AlertStore {
  constructor(private readonly pool: Pool) {}

  async list(query: AlertQuery): Promise<StoredAlert[]> {
    const { rows } = await this.pool.query<AlertDbRow>(
      `WITH latest AS (
         SELECT DISTINCT ON (alert_id) ${ALERT_COLUMNS}, published_at FROM tokentally.alerts
          WHERE ($1::text IS NULL OR team_id = $1)
          ORDER BY alert_id, revision DESC)
       SELECT * FROM latest
        WHERE ($2::text IS NULL OR ($2 = 'resolved') = (status = 'resolved'))
          AND ($3::text IS NULL OR kind = $3)
          AND ($4::bigint IS NULL OR window_end > to_timestamp($4 / 1000.0))
          AND ($5::bigint IS NULL OR window_start < to_timestamp($5 / 1000.0))
        ORDER BY detected_at DESC, alert_id
        LIMIT $6`,
      [
        query.team ?? null,
        query.status ?? null,
        query.kind ?? null,
        query.since ?? null,
        query.until ?? null,
        query.limit ?? 100,
      ],
    );
    const feedback = await this.feedbackFor(rows.map((r) => r.alert_id));
    return rows.map((row) => this.stored(row, feedback.get(row.alert_id) ?? []));
  }

  async get(alertId: string): Promise<{ alert: StoredAlert; revisions: AlertRevision[] } | undefined> {
    const { rows } = await this.pool.query<AlertDbRow>(
      `SELECT ${ALERT_COLUMNS}, published_at FROM tokentally.alerts WHERE alert_id = $1 ORDER BY revision`,
      [alertId],
    );
    const last = rows[rows.length - 1];
    if (!last) return undefined;
    const feedback = await this.feedbackFor([alertId]);
    return {
      alert: this.stored(last, feedback.get(alertId) ?? []),
      revisions: rows.map((r) => ({
        revision: r.revision,
        status: r.status,
        kind: r.kind,
        detected_at: r.detected_at.getTime(),
        observed_nanos: Number(r.observed_nanos),
        baseline_nanos: Number(r.baseline_nanos),
      })),
    };
  }

  async addFeedback(feedback: Omit<AlertFeedback, 'created_at'>): Promise<AlertFeedback> {
    // clock_timestamp(), not now(): two feedbacks in one transaction still get distinct keys
    const { rows } = await this.pool.query<FeedbackRow>(
      `INSERT INTO tokentally.alert_feedback (alert_id, verdict, reason, author, created_at)
       VALUES ($1, $2, $3, $4, clock_timestamp())
       RETURNING alert_id, verdict, reason, author, created_at`,
      [feedback.alert_id, feedback.verdict, feedback.reason, feedback.author],
    );
    const row = rows[0];
    if (!row) throw new Error('alert feedback insert returned no row');
    return feedbackOf(row);
  }

  private stored(row: AlertDbRow, feedback: AlertFeedback[]): StoredAlert {
    return { ...toEvent(row), published_at: row.published_at?.getTime() ?? null, feedback };
  }

  private async feedbackFor(alertIds: readonly string[]): Promise<Map<string, AlertFeedback[]>> {
    const byAlert = new Map<string, AlertFeedback[]>();
    if (alertIds.length === 0) return byAlert;
    const { rows } = await this.pool.query<FeedbackRow>(
      `SELECT alert_id, verdict, reason, author, created_at FROM tokentally.alert_feedback
        WHERE alert_id = ANY($1) ORDER BY created_at`,
      [alertIds],
    );
    for (const row of rows)
      byAlert.set(row.alert_id, [...(byAlert.get(row.alert_id) ?? []), feedbackOf(row)]);
    return byAlert;
  }
}
