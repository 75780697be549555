import { api } from './api.js';
import { throughputChart } from './charts.js';
import { count, figure, h, section, table } from './dom.js';

const utcTime = (iso) => `${iso.slice(11, 19)} UTC`;

function completeness(ledger, checkedAt) {
  const through = ledger.complete_through;
  const day = through && through.slice(0, 10) !== checkedAt.slice(0, 10) ? ` on ${through.slice(0, 10)}` : '';
  const text = through ? `Ledger complete through ${utcTime(through)}${day}` : 'Ledger completeness unknown';
  const note =
    ledger.basis === 'caught_up'
      ? 'nothing in flight: every call the pipeline received is booked'
      : ledger.basis === 'in_flight'
        ? `${count(ledger.in_flight)} calls in flight; the oldest waits on ${ledger.slowest.topic} partition ${ledger.slowest.partition} (${ledger.slowest.group})`
        : `${count(ledger.in_flight)} calls in flight; their times could not be read`;
  return h(
    'div',
    { class: `banner ${ledger.basis}` },
    h('strong', { 'data-testid': 'complete-through' }, text),
    h('div', { class: 'note' }, note, ` · checked ${utcTime(checkedAt)}`),
  );
}

/** Consumer lag per group, topic and partition, ledger completeness, throughput and quarantine. */
export async function opsPage(ctx) {
  const status = await api('/v1/status');
  const lagRows = status.groups.flatMap((g) =>
    g.topics.flatMap((t) =>
      [...t.partitions]
        .sort((a, b) => a.partition - b.partition)
        .map((p) => ({ group: g.group, topic: t.topic, ...p })),
    ),
  );
  const out = [
    completeness(status.ledger, status.checked_at),
    section(
      'Consumer lag',
      h(
        'div',
        { class: 'figures' },
        status.groups.map((g) =>
          figure(
            g.group,
            count(g.topics.reduce((s, t) => s + t.lag, 0)),
            g.topics.length
              ? `${g.topics.map((t) => t.topic).join(', ')}${g.through ? ` · through ${utcTime(g.through)}` : ''}`
              : 'no committed offsets',
          ),
        ),
      ),
      table(
        [
          { label: 'Group', value: (r) => r.group },
          { label: 'Topic', value: (r) => r.topic },
          { label: 'Partition', num: true, value: (r) => r.partition },
          { label: 'Committed', num: true, value: (r) => r.committed ?? '–' },
          { label: 'End', num: true, value: (r) => r.end },
          {
            label: 'Lag',
            num: true,
            value: (r) => h('span', { class: r.lag > 0 ? 'lagging' : null }, count(r.lag)),
          },
          {
            label: 'Oldest in flight (UTC)',
            value: (r) =>
              r.oldest_in_flight_ms === null
                ? ''
                : new Date(r.oldest_in_flight_ms).toISOString().replace('T', ' ').slice(0, 19),
          },
        ],
        lagRows,
        { empty: 'None of the watched groups has committed offsets (CONSOLE_CONSUMER_GROUPS).' },
      ),
    ),
  ];
  if (ctx.me.role !== 'finance') {
    out.push(h('p', {}, 'Throughput and quarantine cover every team: finance tokens only.'));
    return out;
  }
  const ops = await api('/v1/ops/summary?hours=24');
  out.push(
    section(
      'Throughput, last 24 hours (calls per hour of event time)',
      ops.hours.length === 0 ? null : throughputChart(ops.hours),
      table(
        [
          { label: 'Hour (UTC)', value: (r) => r.hour.slice(0, 16).replace('T', ' ') },
          { label: 'Calls', num: true, value: (r) => count(r.calls), testid: (r) => `calls-${r.hour}` },
          { label: 'Retries', num: true, value: (r) => count(r.retries) },
          { label: 'Quarantined', num: true, value: (r) => count(r.quarantined) },
        ],
        ops.hours.slice(-12),
        { empty: 'No calls in the last 24 hours.' },
      ),
    ),
    section(
      'Quarantine by reason, last 24 hours',
      table(
        [
          { label: 'Stage', value: (r) => r.stage },
          { label: 'Reason', value: (r) => r.reason },
          { label: 'Events', num: true, value: (r) => count(r.events) },
          { label: 'Not replayed', num: true, value: (r) => count(r.waiting) },
          { label: 'Last (UTC)', value: (r) => r.last_at.replace('T', ' ').slice(0, 19) },
        ],
        ops.quarantine,
        { empty: 'Nothing quarantined in the last 24 hours.' },
      ),
    ),
    h(
      'p',
      { class: 'note' },
      "Handler errors and stalled partitions per service: the Grafana dashboard in deploy/grafana and each service's /health.",
    ),
  );
  return out;
}
