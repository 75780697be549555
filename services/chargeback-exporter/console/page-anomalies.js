import { api, serves } from './api.js';
import { h, notAvailable, section, usd } from './dom.js';

const first = (object, names) =>
  names.map((n) => object[n]).find((v) => v !== undefined && v !== null && v !== '');
const rowsOf = (body, key) => (Array.isArray(body) ? body : (body?.[key] ?? body?.items ?? []));

/** Alerts as the anomaly detector words them: the explanation first, then scope and time. */
export function alertList(body, ctx) {
  const alerts = rowsOf(body, 'alerts').filter((a) => !ctx.team || !a.team_id || a.team_id === ctx.team);
  if (alerts.length === 0) return h('p', { class: 'empty' }, 'No open alerts.');
  return h(
    'ul',
    { class: 'alerts', 'data-testid': 'alerts' },
    alerts.map((a) =>
      h(
        'li',
        { class: `alert ${first(a, ['severity']) ?? ''}` },
        h(
          'div',
          { class: 'alert-title' },
          first(a, ['summary', 'explanation_text', 'message', 'title', 'kind']) ?? a.alert_id,
        ),
        h(
          'div',
          { class: 'note' },
          [
            first(a, ['kind', 'type']),
            first(a, ['severity']),
            first(a, ['team_id', 'scope']),
            first(a, ['status']),
            first(a, ['opened_at', 'started_at', 'window_end', 'created_at']),
          ]
            .filter(Boolean)
            .join(' · '),
          a.excess_nanos !== undefined ? ` · excess ${usd(a.excess_nanos)}` : '',
        ),
        Array.isArray(a.terms ?? a.explanation?.terms)
          ? h(
              'ul',
              {},
              (a.terms ?? a.explanation.terms).map((t) =>
                h('li', {}, `${t.label ?? t.cause ?? t.kind}: ${usd(t.nanos ?? t.delta_nanos ?? 0)}`),
              ),
            )
          : null,
      ),
    ),
  );
}

/** Spikes and drops with their explanations, and the digest, from the anomaly detector's routes. */
export async function anomaliesPage(ctx) {
  const team = ctx.team ? `&team=${encodeURIComponent(ctx.team)}` : '';
  const out = [];
  if (await serves('/v1/alerts')) {
    out.push(section('Open', alertList(await api(`/v1/alerts?status=open${team}`), ctx)));
    out.push(section('Resolved', alertList(await api(`/v1/alerts?status=resolved${team}`), ctx)));
  } else out.push(notAvailable('Anomaly alerts (GET /v1/alerts)'));
  if (await serves('/v1/digest')) {
    const digest = await api(`/v1/digest?period=${ctx.period}${team}`);
    const lines = Array.isArray(digest) ? digest : (digest.lines ?? digest.summary ?? []);
    out.push(
      section(
        'Digest',
        h(
          'ul',
          { class: 'summary' },
          lines.map((l) => h('li', {}, typeof l === 'string' ? l : JSON.stringify(l))),
        ),
      ),
    );
  } else out.push(notAvailable('The digest (GET /v1/digest)'));
  return out;
}
