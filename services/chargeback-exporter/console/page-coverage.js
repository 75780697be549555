import { api } from './api.js';
import { bp, count, figure, h, section, table, usd, usdFine } from './dom.js';
import { chosenWeek, weekPicker } from './weeks.js';

const HOPS = {
  api_key: 'API key not mapped to a team',
  service_account: 'Service account not allow-listed',
  gateway: 'Gateway that stamps no team',
  workflow: 'Workflow without an owner',
  environment: 'Environment without an owner',
  none: 'No identity at all',
};

/** Unattributed share, the broken hops, quarantine and billed spend the ledger never saw, for one week. */
export async function coveragePage(ctx) {
  // org-wide by nature (no team owns unowned spend): the route answers 403 to a team token, so do not ask
  if (ctx.me.role !== 'finance')
    return [
      h(
        'p',
        { class: 'not-available', 'data-testid': 'finance-only' },
        'Coverage is org-wide (spend without an owner, quarantine, provider accounts): finance tokens only. Your own team’s spend is on Overview and Team burn.',
      ),
    ];
  const { weeks, week } = chosenWeek(ctx);
  const c = await api(`/v1/coverage?week=${week}`);
  return [
    h('div', { class: 'controls-row' }, weekPicker(ctx, weeks, week)),
    h(
      'div',
      { class: `banner ${c.within_target ? 'ok' : 'bad'}` },
      h(
        'strong',
        { 'data-testid': 'coverage-verdict' },
        `${bp(c.unattributed_bp)} of the week's spend has no owner: ${c.within_target ? 'within' : 'above'} the ${bp(c.target_bp)} target`,
      ),
      h('div', { class: 'note' }, `${c.from} to ${c.to} (UTC)`),
    ),
    h(
      'div',
      { class: 'figures' },
      figure(
        'Unattributed share',
        bp(c.unattributed_bp),
        `target below ${bp(c.target_bp)}`,
        'unattributed-share',
      ),
      figure(
        'Unattributed spend',
        usd(c.unattributed_nanos),
        `${count(c.unattributed_calls)} calls without an owner`,
        'unattributed-spend',
      ),
      figure('Ledger spend', usd(c.ledger_nanos), `${count(c.ledger_calls)} calls`, 'coverage-ledger'),
      figure(
        'Not covered at all',
        bp(c.uncovered_bp),
        'unowned + quarantined (estimated) + billed but never seen',
        'uncovered-share',
      ),
    ),
    section(
      'Broken hops: where unowned calls come from',
      table(
        [
          { label: 'What to fix', value: (r) => HOPS[r.hop] ?? r.hop },
          { label: 'Which', value: (r) => r.value ?? '–' },
          { label: 'Calls', num: true, value: (r) => count(r.calls) },
          { label: 'Spend', num: true, value: (r) => usd(r.nanos), testid: (r) => `hop-${r.hop}-${r.value}` },
          { label: 'Share of unowned', num: true, value: (r) => bp(r.share_bp) },
        ],
        c.broken_hops,
        { empty: 'Every call of the week has an owner.' },
      ),
    ),
    section(
      'Quarantine: events the pipeline set aside and has not replayed',
      h(
        'p',
        { class: 'note' },
        `Estimated at ${usdFine(c.quarantine.mean_call_nanos)} per call (the week's mean cost per call); conflicting resends and duplicates are already booked.`,
      ),
      table(
        [
          { label: 'Reason', value: (q) => q.reason },
          { label: 'Stage', value: (q) => q.stage },
          {
            label: 'Events',
            num: true,
            value: (q) => count(q.count),
            testid: (q) => `quarantine-${q.reason}`,
          },
          { label: 'Estimated spend', num: true, value: (q) => usd(q.estimated_nanos) },
        ],
        c.quarantine.reasons,
        { empty: 'Nothing quarantined in this week.' },
      ),
      h(
        'p',
        {},
        'Estimated total: ',
        h('strong', { 'data-testid': 'quarantine-estimate' }, usd(c.quarantine.estimated_nanos)),
      ),
    ),
    section(
      'Billed by providers, never seen by the ledger',
      table(
        [
          { label: 'Provider', value: (m) => m.provider },
          { label: 'Account', value: (m) => m.account_id },
          { label: 'Cells', num: true, value: (m) => count(m.cells) },
          { label: 'Amount', num: true, value: (m) => usd(m.nanos) },
        ],
        c.missing_in_ledger.accounts,
        { empty: 'Nothing billed that the ledger did not see (or no provider export imported).' },
      ),
    ),
  ];
}
